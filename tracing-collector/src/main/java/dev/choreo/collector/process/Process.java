package dev.choreo.collector.process;

import dev.choreo.collector.flow.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The state of one process, packed for a million in flight: the timeline is a long[] of fixed-size entries,
 * pending expectations are packed longs, and the process itself is the node of its timer wheel slot and of its
 * shard's recency list (no per-process wrapper objects). Guarded by its shard's lock (or the history's, once
 * ended).
 */
final class Process {

    /**
     * Longs per timeline entry: meta, offset, occurredAt, event id (2), causation id (2), trace id (2), appendedAt
     * (when the record became readable, the collector's clock: deadlines count from it).
     */
    static final int ENTRY = 10;
    private static final int INITIAL_ENTRIES = 4;
    private static final long[] NO_PENDING = {};

    static final int ENDED = 1;
    static final int END_SEEN = 1 << 1;
    static final int SUPERSEDED = 1 << 2;
    static final int STUCK = 1 << 3;
    static final int FAILED = 1 << 4;
    static final int AUTO_CANCEL_REQUESTED = 1 << 5;
    /** Opened by a dead letter and no event of it seen yet: counted against the dead-letter cap. */
    static final int DEAD_LETTERS_ONLY = 1 << 6;
    /** Would end but for a missing cause: settled again once its shard knows which causes are older than the log start. */
    static final int AWAITING_REBUILD = 1 << 7;

    /** {@link #stuckExpectation} when the process sits with nothing awaited and no end. */
    static final short QUIET = -2;
    static final short NOT_STUCK = -1;

    final String correlationId;
    final int partition;
    String orderId;

    long[] timeline = new long[ENTRY * INITIAL_ENTRIES];
    int size;
    /** Entries dropped to keep the timeline bounded. */
    int elided;
    long[] pending = NO_PENDING;
    int pendingCount;

    int flags;
    byte endOutcome = -1;
    /** Ordinal of its {@link Eviction}, or -1. */
    byte evictedBecause = -1;
    /** Ordinal of the outcome it had when it was evicted. */
    byte outcomeBeforeEviction = -1;
    short stuckExpectation = NOT_STUCK;
    /** Index of the step counted in its shard's in-flight gauge, or -1 for none. */
    short countedStep = -1;

    long firstAt = Long.MAX_VALUE;
    long lastAt = Long.MIN_VALUE;
    /** When the latest of its records became readable (collector's clock): is it moving, is it quiet. */
    long lastAppendedAt = Long.MIN_VALUE;
    long endedAt;
    long stuckSince;

    long wakeAt;
    Process wheelPrevious;
    Process wheelNext;
    /** The wheel slot it is linked into, or -1. */
    int wheelSlot = -1;
    Process newer;
    Process older;

    List<DeadLetter> deadLetters;
    /**
     * Its business keys, {@code field, value} pairs (null-padded), for the search index: the value strings are the
     * index's own. Null without any.
     */
    String[] searchKeys;

    Process(String correlationId, int partition) {
        this.correlationId = correlationId;
        this.partition = partition;
    }

    // --- search keys ------------------------------------------------------------------------------------

    boolean hasSearchKey(String field, String value) {
        return searchValue(field, value) != null;
    }

    /** The value instance it holds for this field and value, or null. */
    String searchValue(String field, String value) {
        for (int i = 0; searchKeys != null && i < searchKeys.length && searchKeys[i] != null; i += 2) {
            if (searchKeys[i].equals(field) && searchKeys[i + 1].equals(value)) {
                return searchKeys[i + 1];
            }
        }
        return null;
    }

    int searchKeyCount() {
        int count = 0;
        while (searchKeys != null && count * 2 < searchKeys.length && searchKeys[count * 2] != null) {
            count++;
        }
        return count;
    }

    void addSearchKey(String field, String value) {
        int count = searchKeyCount();
        if (searchKeys == null || count * 2 == searchKeys.length) {
            searchKeys = Arrays.copyOf(searchKeys == null ? new String[0] : searchKeys, Math.max(2, count * 4));
        }
        searchKeys[count * 2] = field;
        searchKeys[count * 2 + 1] = value;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    void set(int flag) {
        flags |= flag;
    }

    void clear(int flag) {
        flags &= ~flag;
    }

    Outcome outcome() {
        if (has(ENDED)) {
            return Outcome.values()[endOutcome];
        }
        return has(FAILED) ? Outcome.FAILED : has(STUCK) ? Outcome.STUCK : Outcome.RUNNING;
    }

    // --- timeline --------------------------------------------------------------------------------------

    static long meta(int kind, int type, int producer, int topic, int partition) {
        return (type & 0xFFFFL) | (producer & 0xFFFFL) << 16 | (topic & 0xFFFFL) << 32 | (partition & 0xFFFL) << 48
                | (kind & 0xFL) << 60;
    }

    int kind(int entry) {
        return (int) (timeline[entry * ENTRY] >>> 60);
    }

    int type(int entry) {
        return (int) (timeline[entry * ENTRY] & 0xFFFF);
    }

    int producer(int entry) {
        return (int) (timeline[entry * ENTRY] >>> 16 & 0xFFFF);
    }

    int topic(int entry) {
        return (int) (timeline[entry * ENTRY] >>> 32 & 0xFFFF);
    }

    int recordPartition(int entry) {
        return (int) (timeline[entry * ENTRY] >>> 48 & 0xFFF);
    }

    long offset(int entry) {
        return timeline[entry * ENTRY + 1];
    }

    long at(int entry) {
        return timeline[entry * ENTRY + 2];
    }

    long eventIdHigh(int entry) {
        return timeline[entry * ENTRY + 3];
    }

    long eventIdLow(int entry) {
        return timeline[entry * ENTRY + 4];
    }

    long causationHigh(int entry) {
        return timeline[entry * ENTRY + 5];
    }

    long causationLow(int entry) {
        return timeline[entry * ENTRY + 6];
    }

    long traceHigh(int entry) {
        return timeline[entry * ENTRY + 7];
    }

    long traceLow(int entry) {
        return timeline[entry * ENTRY + 8];
    }

    long appendedAt(int entry) {
        return timeline[entry * ENTRY + 9];
    }

    /**
     * Appends an entry; when the timeline is at its bound, the oldest entry nothing pending refers to goes
     * (the first event stays). Returns the new entry's index.
     */
    int append(IngestedEvent event, int maxEntries) {
        if (size == maxEntries) {
            elideOne();
        }
        if ((size + 1) * ENTRY > timeline.length) {
            timeline = Arrays.copyOf(timeline, Math.min(maxEntries, size * 2) * ENTRY);
        }
        int base = size * ENTRY;
        timeline[base] = meta(event.kind(), event.type(), event.producer(), event.topic(), event.partition());
        timeline[base + 1] = event.offset();
        timeline[base + 2] = event.occurredAt();
        timeline[base + 3] = event.eventIdHigh();
        timeline[base + 4] = event.eventIdLow();
        timeline[base + 5] = event.causationHigh();
        timeline[base + 6] = event.causationLow();
        timeline[base + 7] = event.traceHigh();
        timeline[base + 8] = event.traceLow();
        timeline[base + 9] = event.appendedAt();
        return size++;
    }

    private void elideOne() {
        int victim = -1;
        for (int entry = 1; entry < size && victim < 0; entry++) {
            if (!isPendingCause(entry)) {
                victim = entry;
            }
        }
        if (victim < 0) {
            victim = size - 1;
        }
        System.arraycopy(timeline, (victim + 1) * ENTRY, timeline, victim * ENTRY, (size - victim - 1) * ENTRY);
        size--;
        elided++;
        for (int i = 0; i < pendingCount; i++) {
            int cause = Pending.cause(pending[i]);
            if (cause > victim) {
                pending[i] = Pending.withCause(pending[i], cause - 1);
            }
        }
    }

    private boolean isPendingCause(int entry) {
        for (int i = 0; i < pendingCount; i++) {
            if (Pending.cause(pending[i]) == entry) {
                return true;
            }
        }
        return false;
    }

    /** Index of the event entry with this id, or -1. */
    int findEvent(long idHigh, long idLow) {
        for (int entry = 0; entry < size; entry++) {
            int base = entry * ENTRY;
            if (timeline[base + 3] == idHigh && timeline[base + 4] == idLow && kind(entry) == IngestedEvent.EVENT) {
                return entry;
            }
        }
        return -1;
    }

    boolean hasRecord(int kind, int topic, int partition, long offset) {
        for (int entry = 0; entry < size; entry++) {
            if (kind(entry) == kind && topic(entry) == topic && recordPartition(entry) == partition
                    && offset(entry) == offset) {
                return true;
            }
        }
        return false;
    }

    /** The first event entry of this type, or -1. */
    int findType(int type) {
        for (int entry = 0; entry < size; entry++) {
            if (type(entry) == type && kind(entry) == IngestedEvent.EVENT) {
                return entry;
            }
        }
        return -1;
    }

    /**
     * True while an event's cause has not been seen: an end event that overtook the events before it (another
     * topic lagged) must not end the process early. {@code causeGone} says of an event entry whether its missing
     * cause is known to be gone from the log (older than the log start), which counts as present.
     */
    boolean hasMissingCause(IntPredicate causeGone) {
        for (int entry = 0; entry < size; entry++) {
            int base = entry * ENTRY;
            if (kind(entry) == IngestedEvent.EVENT && (timeline[base + 5] != 0 || timeline[base + 6] != 0)
                    && findEvent(timeline[base + 5], timeline[base + 6]) < 0 && !causeGone.test(entry)) {
                return true;
            }
        }
        return false;
    }

    // --- pending expectations --------------------------------------------------------------------------

    void addPending(long packed) {
        if (pendingCount == pending.length) {
            pending = Arrays.copyOf(pending, Math.max(2, pendingCount * 2));
        }
        pending[pendingCount++] = packed;
    }

    void removePending(int index) {
        pending[index] = pending[--pendingCount];
        if (pendingCount == 0) {
            pending = NO_PENDING;
        }
    }

    boolean isPending(int expectation) {
        for (int i = 0; i < pendingCount; i++) {
            if (Pending.expectation(pending[i]) == expectation) {
                return true;
            }
        }
        return false;
    }

    /** Index into {@link #pending} of the expectation due first, or -1. */
    int earliestPending() {
        int earliest = -1;
        for (int i = 0; i < pendingCount; i++) {
            if (earliest < 0 || Pending.deadline(pending[i]) < Pending.deadline(pending[earliest])) {
                earliest = i;
            }
        }
        return earliest;
    }

    void addDeadLetter(DeadLetter deadLetter) {
        if (deadLetters == null) {
            deadLetters = new ArrayList<>(1);
        }
        if (deadLetters.size() < 16) {
            deadLetters.add(deadLetter);
        }
    }

    /**
     * A pending expectation packed into a long: expectation index (12 bits), index of the cause's timeline
     * entry (8 bits), deadline in epoch millis (44 bits, good until the year 2527).
     */
    static final class Pending {

        private Pending() {
        }

        static long of(int expectation, int cause, long deadline) {
            return (expectation & 0xFFFL) | (cause & 0xFFL) << 12 | Math.max(0, deadline) << 20;
        }

        static int expectation(long packed) {
            return (int) (packed & 0xFFF);
        }

        static int cause(long packed) {
            return (int) (packed >>> 12 & 0xFF);
        }

        static long deadline(long packed) {
            return packed >>> 20;
        }

        static long withCause(long packed, int cause) {
            return packed & ~(0xFFL << 12) | (cause & 0xFFL) << 12;
        }

        static long withDeadline(long packed, long deadline) {
            return packed & 0xFFFFFL | Math.max(0, deadline) << 20;
        }
    }
}
