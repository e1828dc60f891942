package dev.choreo.collector.process;

import dev.choreo.collector.flow.ChoreographyMap;
import dev.choreo.collector.flow.Flow;
import dev.choreo.collector.flow.Outcome;
import dev.choreo.collector.flow.Vocabulary;
import dev.choreo.collector.process.Process.Pending;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * All processes this instance owns, sharded by partition number, plus the bounded history of ended ones. The
 * entry point for ingest, the timer tick, partition ownership and reads.
 */
public final class ProcessStore {

    private final Flow flow;
    private final Settings settings;
    private final ChoreographyMap choreography;
    private final ProcessObserver observer;
    private final TimeoutHandler timeouts;
    private final Clock clock;
    /** Long.MAX_VALUE, or the time no watermark may pass while a broker outage is held (see holdWatermarks). */
    private volatile long watermarkHold = Long.MAX_VALUE;
    private final History history;
    private final SearchIndex search;
    private final Map<Integer, Shard> shards = new ConcurrentHashMap<>();

    public ProcessStore(Flow flow, Settings settings, ChoreographyMap choreography, ProcessObserver observer,
            TimeoutHandler timeouts, Clock clock) {
        this.flow = flow;
        this.settings = settings;
        this.choreography = choreography;
        this.observer = observer;
        this.timeouts = timeouts;
        this.clock = clock;
        this.search = new SearchIndex(settings.searchFields(), settings.maxProcessesPerKey());
        this.history = new History(settings.historySize(), search);
    }

    public Flow flow() {
        return flow;
    }

    // --- ingest ----------------------------------------------------------------------------------------

    /** Applies a batch of records; consecutive records of one partition number share one lock hold. */
    public void apply(List<IngestedEvent> events) {
        int shardCount = Math.max(1, shards.size());
        int openLimit = share(settings.maxOpenProcesses(), shardCount);
        int deadLetterLimit = share(settings.maxDeadLetterProcesses(), shardCount);
        Shard held = null;
        try {
            for (IngestedEvent event : events) {
                if (held == null || held.partition != event.partition()) {
                    if (held != null) {
                        held.lock.unlock();
                    }
                    held = shard(event.partition());
                    held.lock.lock();
                }
                held.apply(correlated(held, event), openLimit, deadLetterLimit);
            }
        } finally {
            if (held != null) {
                held.lock.unlock();
            }
        }
    }

    /**
     * A partition number's share of an instance-wide limit: keys spread evenly over the partitions, and each shard
     * enforces its share under its own lock.
     */
    private static int share(int limit, int shardCount) {
        return limit == 0 ? 0 : Math.max(1, limit / shardCount);
    }

    /** A dead letter without a correlation id header is matched by its key, the order id. */
    private static IngestedEvent correlated(Shard shard, IngestedEvent event) {
        if (event.correlationId() != null) {
            return event;
        }
        Process byOrder = event.key() == null ? null : shard.findByOrderId(event.key());
        String correlationId = byOrder != null ? byOrder.correlationId
                : event.key() != null ? event.key()
                        : "unkeyed-" + event.partition() + "-" + event.offset();
        return new IngestedEvent(event.kind(), correlationId, event.key(), event.type(), event.producer(),
                event.topic(), event.partition(), event.offset(), event.appendedAt(), event.occurredAt(),
                event.eventIdHigh(), event.eventIdLow(), event.causationHigh(), event.causationLow(),
                event.traceHigh(), event.traceLow(), event.discriminator(), event.live(), event.deadLetter(),
                event.searchKeys());
    }

    private Shard shard(int partition) {
        return shards.computeIfAbsent(partition,
                p -> new Shard(p, flow, settings, history, search, choreography, observer, timeouts));
    }

    // --- partition ownership and watermarks ------------------------------------------------------------

    /**
     * Starts consuming a topic-partition. {@code horizon} is the offset an earlier run committed: records
     * below it rebuild state without being counted again.
     */
    public void track(String topic, int partition, long horizon) {
        Shard shard = shard(partition);
        shard.lock.lock();
        try {
            shard.clocks.put(topic, new Shard.PartitionClock(horizon));
        } finally {
            shard.lock.unlock();
        }
    }

    /**
     * Where a topic-partition this instance rebuilds from the log starts and where it ended when it was assigned:
     * once it has read every topic-partition of a partition number that far, a cause it did not find is older than
     * the log start and counts as present.
     */
    public void rebuilding(String topic, int partition, long logStart, long endAtAssignment) {
        updateClock(topic, partition, (shard, partitionClock) -> {
            partitionClock.logStart = logStart;
            partitionClock.endAtAssignment = endAtAssignment;
            partitionClock.position = Math.max(partitionClock.position, logStart);
            shard.checkRebuilt();
        });
    }

    /** The next offset this instance would read on a topic-partition it consumes, or -1. */
    public long position(String topic, int partition) {
        Shard shard = shards.get(partition);
        if (shard == null) {
            return -1;
        }
        shard.lock.lock();
        try {
            Shard.PartitionClock partitionClock = shard.clocks.get(topic);
            return partitionClock == null ? -1 : partitionClock.position;
        } finally {
            shard.lock.unlock();
        }
    }

    /**
     * Stops following a topic-partition; once no topic of its partition number is left, every process of that
     * partition number is forgotten (another instance owns them now).
     */
    public void untrack(String topic, int partition) {
        Shard shard = shards.get(partition);
        if (shard == null) {
            return;
        }
        shard.lock.lock();
        try {
            shard.clocks.remove(topic);
            if (shard.clocks.isEmpty()) {
                shards.remove(partition);
                shard.forgetAll();
            }
        } finally {
            shard.lock.unlock();
        }
    }

    /** The partition numbers whose processes this instance holds. */
    public SortedSet<Integer> ownedPartitions() {
        return new TreeSet<>(shards.keySet());
    }

    /** Records whether this instance has read a topic-partition to its end (its current lag is zero). */
    public void caughtUp(String topic, int partition, boolean caughtUp) {
        updateClock(topic, partition, (shard, partitionClock) -> {
            partitionClock.caughtUp = caughtUp;
            shard.checkRebuilt();
        });
    }

    /**
     * Records that the broker confirmed, in a request sent at {@code askedAt}, that this instance had read a
     * topic-partition to its end: its watermark may advance that far.
     */
    public void readToEnd(String topic, int partition, long askedAt) {
        updateClock(topic, partition, (shard, partitionClock) ->
                partitionClock.confirmedReadToEndAt = partitionClock.confirmedReadToEndAt == Long.MAX_VALUE
                        ? askedAt : Math.max(partitionClock.confirmedReadToEndAt, askedAt));
    }

    /** Changes a tracked topic-partition's clock under its shard's lock; nothing if it is not tracked here. */
    private void updateClock(String topic, int partition, BiConsumer<Shard, Shard.PartitionClock> change) {
        Shard shard = shards.get(partition);
        if (shard == null) {
            return;
        }
        shard.lock.lock();
        try {
            Shard.PartitionClock partitionClock = shard.clocks.get(topic);
            if (partitionClock != null) {
                change.accept(shard, partitionClock);
            }
        } finally {
            shard.lock.unlock();
        }
    }

    /**
     * Keeps every watermark at or below {@code at} until {@link #releaseWatermarks()}: the broker was unreachable,
     * and the records producers held meanwhile may still be on their way after it answers again.
     */
    public void holdWatermarks(long at) {
        watermarkHold = at;
    }

    public void releaseWatermarks() {
        watermarkHold = Long.MAX_VALUE;
    }

    /** The time no watermark passes while an outage is held, else empty. */
    public OptionalLong watermarksHeldAt() {
        long hold = watermarkHold;
        return hold == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(hold);
    }

    /** The wall clock, or the hold while there is one: the latest time any watermark may reach now. */
    private long latestWatermark() {
        return Math.min(clock.millis(), watermarkHold);
    }

    /** Fires the deadlines that passed; called by the timer thread every tick. */
    public void advance() {
        long now = latestWatermark();
        for (Shard shard : shards.values()) {
            shard.lock.lock();
            try {
                shard.advance(now);
            } finally {
                shard.lock.unlock();
            }
        }
    }

    /** The topics this instance reads on a partition number (the ones an auto-cancel checks are read to the end). */
    public List<String> topics(int partition) {
        Shard shard = shards.get(partition);
        if (shard == null) {
            return List.of();
        }
        shard.lock.lock();
        try {
            return List.copyOf(shard.clocks.keySet());
        } finally {
            shard.lock.unlock();
        }
    }

    /**
     * Whether an auto-cancel the timer asked for still holds after the collector made sure it has read everything
     * of the partition number: the process is still stuck and has not moved for the whole auto-cancel time.
     */
    public boolean confirmAutoCancel(String correlationId, int partition) {
        Shard shard = shards.get(partition);
        if (shard == null) {
            return false;
        }
        shard.lock.lock();
        try {
            long now = shard.watermark(latestWatermark());
            return now != Long.MIN_VALUE && shard.confirmAutoCancel(correlationId, now);
        } finally {
            shard.lock.unlock();
        }
    }

    /** The collector could not make sure it has read everything: the timer asks again after {@code retryIn}. */
    public void deferAutoCancel(String correlationId, int partition, java.time.Duration retryIn) {
        Shard shard = shards.get(partition);
        if (shard == null) {
            return;
        }
        shard.lock.lock();
        try {
            shard.deferAutoCancel(correlationId, clock.millis() + retryIn.toMillis());
        } finally {
            shard.lock.unlock();
        }
    }

    // --- reads -----------------------------------------------------------------------------------------

    public Optional<ProcessView> find(String correlationId) {
        for (Shard shard : shards.values()) {
            shard.lock.lock();
            try {
                Process process = shard.find(correlationId);
                if (process != null) {
                    return Optional.of(view(process));
                }
            } finally {
                shard.lock.unlock();
            }
        }
        // the history is shared by all partitions: an ended process of a partition given away is no longer ours
        return Optional.ofNullable(history.read(correlationId, p -> shards.containsKey(p.partition) ? view(p) : null));
    }

    /** Processes by status, most relevant first: stuck and failed ones longest stuck first, others newest first. */
    public List<ProcessSummary> list(Outcome status, int limit) {
        return list(ProcessQuery.byStatus(status), limit);
    }

    /** The business keys a query can filter by (the configured search fields). */
    public List<String> searchFields() {
        return search.fields();
    }

    /**
     * Processes that match every filter of the query, ordered as {@link #list(Outcome, int)}. A correlation id, a
     * business key or an order id picks the candidates directly (the search index, the order-id index); other
     * filters go through the processes in list order until {@code limit} match.
     */
    public List<ProcessSummary> list(ProcessQuery query, int limit) {
        Predicate<Process> matches = process -> matches(process, query);
        Outcome status = query.status();
        List<ProcessSummary> found = new ArrayList<>();
        List<String> candidates = candidates(query, limit);
        if (candidates != null) {
            candidates.forEach(id -> summary(id, matches).ifPresent(found::add));
        } else {
            if (status == null || !status.isEnd()) {
                for (Shard shard : shards.values()) {
                    shard.lock.lock();
                    try {
                        List<Process> matching = status == Outcome.STUCK ? shard.attention(false, matches, limit)
                                : status == Outcome.FAILED ? shard.attention(true, matches, limit)
                                        : shard.recent(matches, limit);
                        matching.forEach(p -> found.add(summary(p)));
                    } finally {
                        shard.lock.unlock();
                    }
                }
            }
            if (status == null || status.isEnd()) {
                found.addAll(history.recent(p -> shards.containsKey(p.partition) && matches.test(p), limit,
                        this::summary));
            }
        }
        Comparator<ProcessSummary> order = status == Outcome.STUCK || status == Outcome.FAILED
                ? Comparator.comparing(ProcessSummary::stuckSince, Comparator.nullsLast(Comparator.naturalOrder()))
                : Comparator.comparing(ProcessSummary::lastEventAt, Comparator.nullsLast(Comparator.reverseOrder()));
        found.sort(order);
        return found.size() > limit ? List.copyOf(found.subList(0, limit)) : found;
    }

    /** The correlation ids a query names or that an index gives for it; null when the processes must be gone through. */
    private List<String> candidates(ProcessQuery query, int limit) {
        if (query.correlationId() != null) {
            return List.of(query.correlationId());
        }
        if (!query.keys().isEmpty()) {
            return search.find(query.keys());
        }
        if (query.orderId() == null) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        for (Shard shard : shards.values()) {
            shard.lock.lock();
            try {
                Process open = shard.findByOrderId(query.orderId());
                if (open != null) {
                    ids.add(open.correlationId);
                }
            } finally {
                shard.lock.unlock();
            }
        }
        ids.addAll(history.recent(p -> query.orderId().equals(p.orderId), limit, p -> p.correlationId));
        return ids;
    }

    /** The summary of a process held here if it matches. */
    private Optional<ProcessSummary> summary(String correlationId, Predicate<Process> matches) {
        for (Shard shard : shards.values()) {
            shard.lock.lock();
            try {
                Process process = shard.find(correlationId);
                if (process != null) {
                    return matches.test(process) ? Optional.of(summary(process)) : Optional.empty();
                }
            } finally {
                shard.lock.unlock();
            }
        }
        return Optional.ofNullable(history.read(correlationId,
                p -> shards.containsKey(p.partition) && matches.test(p) ? summary(p) : null));
    }

    /** Under the lock of the shard or the history that holds the process. */
    private boolean matches(Process process, ProcessQuery query) {
        return (query.status() == null || process.outcome() == query.status())
                && (query.correlationId() == null || query.correlationId().equals(process.correlationId))
                && (query.orderId() == null || query.orderId().equals(process.orderId))
                && query.keys().entrySet().stream().allMatch(key -> process.hasSearchKey(key.getKey(), key.getValue()))
                && (query.step() == null || query.step().equals(currentStep(process)))
                && within(process.firstAt, query.startedFrom(), query.startedTo())
                && within(process.lastAt, query.activeFrom(), query.activeTo());
    }

    private static boolean within(long at, Instant from, Instant to) {
        return (from == null || at >= from.toEpochMilli()) && (to == null || at < to.toEpochMilli());
    }

    private String currentStep(Process process) {
        int earliest = process.earliestPending();
        return earliest < 0 ? null
                : flow.step(flow.expectation(Pending.expectation(process.pending[earliest])).step()).name();
    }

    /** Gauge inputs; each sums the shards this instance owns now. */
    public Counts counts() {
        int[] inFlight = new int[flow.steps().size() + 1];
        int[] stuck = new int[flow.expectations().size() + 1];
        int open = 0;
        int failed = 0;
        int deadLettersOnly = 0;
        int timers = 0;
        int replaying = 0;
        for (Shard shard : shards.values()) {
            shard.lock.lock();
            try {
                add(inFlight, shard.inFlightByStep);
                add(stuck, shard.stuckByExpectation);
                open += shard.openCount();
                failed += shard.failedCount();
                deadLettersOnly += shard.deadLettersOnlyCount();
                timers += shard.scheduledTimers();
                for (Shard.PartitionClock partitionClock : shard.clocks.values()) {
                    replaying += partitionClock.caughtUp ? 0 : 1;
                }
            } finally {
                shard.lock.unlock();
            }
        }
        return new Counts(open, inFlight, stuck, failed, deadLettersOnly, history.size(), timers, replaying,
                search.size());
    }

    private static void add(int[] sum, int[] part) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += part[i];
        }
    }

    /**
     * @param inFlightByStep     per step index; the last slot counts processes awaiting nothing
     * @param stuckByExpectation per expectation index; the last slot counts incomplete paths
     * @param deadLettersOnly     open processes known only from dead letters
     * @param replayingPartitions topic-partitions not yet read to their end
     * @param searchKeys          entries of the search index (a process and one of its business key values each)
     */
    public record Counts(int open, int[] inFlightByStep, int[] stuckByExpectation, int failed, int deadLettersOnly,
            int history, int timers, int replayingPartitions, int searchKeys) {
    }

    // --- views -----------------------------------------------------------------------------------------

    private ProcessSummary summary(Process process) {
        int earliest = process.earliestPending();
        Flow.Expectation waiting = earliest < 0 ? null : flow.expectation(Pending.expectation(process.pending[earliest]));
        String suspect = null;
        String failure = null;
        if (process.has(Process.FAILED) && process.deadLetters != null) {
            DeadLetter last = process.deadLetters.get(process.deadLetters.size() - 1);
            suspect = last.group();
            failure = last.cause();
        } else if (process.stuckExpectation >= 0) {
            suspect = flow.expectation(process.stuckExpectation).service();
        } else if (process.stuckExpectation == Process.QUIET && process.size > 0) {
            suspect = flow.vocabulary().name(process.producer(lastEventEntry(process)));
        }
        return new ProcessSummary(process.correlationId, process.orderId, process.outcome(),
                waiting == null ? null : flow.step(waiting.step()).name(),
                waiting == null ? null : waiting.eventsLabel() + " from " + waiting.service(), suspect, failure,
                instant(process.firstAt), instant(process.lastAt),
                process.has(Process.STUCK) ? instant(process.stuckSince) : null,
                process.has(Process.ENDED) ? instant(process.endedAt) : null);
    }

    private ProcessView view(Process process) {
        Vocabulary names = flow.vocabulary();
        long now = clock.millis();
        Integer[] order = new Integer[process.size];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingLong(process::at));
        List<ProcessView.Entry> timeline = new ArrayList<>(order.length);
        List<ProcessView.StepView> steps = new ArrayList<>();
        for (int entry : order) {
            timeline.add(new ProcessView.Entry(kindName(process.kind(entry)), names.name(process.type(entry)),
                    uuid(process.eventIdHigh(entry), process.eventIdLow(entry)),
                    uuid(process.causationHigh(entry), process.causationLow(entry)),
                    names.name(process.producer(entry)), names.name(process.topic(entry)),
                    process.recordPartition(entry), process.offset(entry), instant(process.at(entry)),
                    instant(process.appendedAt(entry)), traceId(process.traceHigh(entry), process.traceLow(entry))));
            if (process.kind(entry) == IngestedEvent.EVENT) {
                for (Flow.Step step : flow.stepsAfter(process.type(entry))) {
                    for (Flow.Expectation expectation : step.expectations()) {
                        steps.add(stepView(process, entry, step, expectation));
                    }
                }
            }
        }
        List<ProcessView.Awaited> awaiting = new ArrayList<>();
        ProcessView.Awaited stuckOn = null;
        for (int i = 0; i < process.pendingCount; i++) {
            ProcessView.Awaited awaited = awaited(process, process.pending[i], now);
            awaiting.add(awaited);
            if (Pending.expectation(process.pending[i]) == process.stuckExpectation) {
                stuckOn = awaited;
            }
        }
        awaiting.sort(Comparator.comparing(ProcessView.Awaited::deadline));
        int earliest = process.earliestPending();
        String currentStep = earliest < 0 ? null
                : flow.step(flow.expectation(Pending.expectation(process.pending[earliest])).step()).name();
        boolean ended = process.has(Process.ENDED);
        return new ProcessView(process.correlationId, process.orderId, process.partition, process.outcome(),
                currentStep, instant(process.firstAt), instant(process.lastAt),
                ended ? instant(process.endedAt) : null,
                (ended ? process.endedAt : Math.max(now, process.lastAt)) - process.firstAt,
                process.has(Process.STUCK) ? instant(process.stuckSince) : null, stuckOn,
                process.stuckExpectation == Process.QUIET, awaiting, steps, timeline, process.elided,
                process.deadLetters == null ? List.of() : List.copyOf(process.deadLetters), eviction(process));
    }

    private static ProcessView.Evicted eviction(Process process) {
        if (process.evictedBecause < 0) {
            return null;
        }
        Eviction reason = Eviction.values()[process.evictedBecause];
        return new ProcessView.Evicted(reason.label(), Outcome.values()[process.outcomeBeforeEviction],
                instant(process.endedAt));
    }

    private ProcessView.StepView stepView(Process process, int trigger, Flow.Step step,
            Flow.Expectation expectation) {
        long started = process.at(trigger);
        int done = -1;
        for (int type : expectation.acceptedTypes()) {
            int seen = process.findType(type);
            if (seen >= 0 && (done < 0 || process.at(seen) < process.at(done))) {
                done = seen;
            }
        }
        String state;
        if (done >= 0) {
            state = "DONE";
        } else if (process.isPending(expectation.index())) {
            state = process.stuckExpectation == expectation.index() ? "STUCK" : "WAITING";
        } else {
            state = "SKIPPED";
        }
        Long duration = done >= 0 ? Math.max(0, process.at(done) - started) : null;
        return new ProcessView.StepView(step.name(), step.triggerName(), expectation.service(), instant(started),
                done >= 0 ? instant(process.at(done)) : null, duration, state);
    }

    private ProcessView.Awaited awaited(Process process, long pending, long now) {
        Flow.Expectation expectation = flow.expectation(Pending.expectation(pending));
        int cause = Pending.cause(pending);
        Vocabulary names = flow.vocabulary();
        ProcessView.EventRef ref = new ProcessView.EventRef(names.name(process.type(cause)),
                uuid(process.eventIdHigh(cause), process.eventIdLow(cause)), names.name(process.producer(cause)),
                names.name(process.topic(cause)), process.recordPartition(cause), process.offset(cause),
                instant(process.at(cause)), instant(process.appendedAt(cause)),
                Math.max(0, process.appendedAt(cause) - process.at(cause)));
        long since = Pending.deadline(pending) - flow.step(expectation.step()).deadlineMillis();
        return new ProcessView.Awaited(flow.step(expectation.step()).name(), expectation.service(),
                expectation.eventsLabel(), instant(since), instant(Pending.deadline(pending)),
                Pending.deadline(pending) < now, ref);
    }

    private static int lastEventEntry(Process process) {
        int last = 0;
        for (int entry = 1; entry < process.size; entry++) {
            if (process.at(entry) >= process.at(last)) {
                last = entry;
            }
        }
        return last;
    }

    private static String kindName(int kind) {
        return switch (kind) {
            case IngestedEvent.DEAD_LETTER -> "DEAD_LETTER";
            case IngestedEvent.REDRIVE -> "REDRIVE";
            default -> "EVENT";
        };
    }

    private static Instant instant(long millis) {
        return millis == Long.MAX_VALUE || millis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(millis);
    }

    private static String uuid(long high, long low) {
        return high == 0 && low == 0 ? null : new UUID(high, low).toString();
    }

    private static String traceId(long high, long low) {
        return high == 0 && low == 0 ? null : String.format("%016x%016x", high, low);
    }
}
