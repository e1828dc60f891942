package dev.choreo.collector.process;

import dev.choreo.collector.flow.ChoreographyMap;
import dev.choreo.collector.flow.Flow;
import dev.choreo.collector.flow.Outcome;
import dev.choreo.collector.process.Process.Pending;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The processes of one partition number. Co-partitioning puts every event of an order on the same partition
 * number of every topic, so a shard holds whole processes and is owned by whichever consumer owns that
 * partition number. Every method expects {@link #lock} to be held: one consumer thread writes, the timer thread
 * advances the wheel, REST reads take snapshots.
 */
final class Shard {

    final int partition;
    final ReentrantLock lock = new ReentrantLock();

    private final Flow flow;
    private final Settings settings;
    private final History history;
    private final SearchIndex search;
    private final ChoreographyMap choreography;
    private final ProcessObserver observer;
    private final TimeoutHandler timeouts;
    private final long autoCancelAfter;
    private final long maxOpenAge;

    private final Map<String, Process> open = new HashMap<>();
    private final OrderIdIndex byOrderId = new OrderIdIndex();
    /** Open processes known only from dead letters (bounded by the dead-letter cap). */
    private int deadLettersOnly;
    private final TimerWheel wheel;
    /** Head of the recency list: the process with the latest event. */
    private Process newest;
    /** Its tail: the least recently active process, the first to go when the open processes are at their cap. */
    private Process oldest;
    private final LinkedHashSet<Process> stuck = new LinkedHashSet<>();
    private final LinkedHashSet<Process> failed = new LinkedHashSet<>();
    /**
     * Processes that would end but for a missing cause, while the shard cannot tell yet whether it is late or older
     * than the log start (only a few: the overtaken ends in flight, and the heads retention cut during a rebuild).
     */
    private final LinkedHashSet<Process> awaitingRebuild = new LinkedHashSet<>();
    /**
     * Whether retention cut the head of a topic-partition of this partition number and every one has been read up to
     * where it ended when it was assigned (see causeOlderThanLogStart).
     */
    private boolean rebuiltFromCutLog;
    /** In-flight processes per current step; the last slot counts those awaiting nothing. */
    final int[] inFlightByStep;
    /** Stuck processes per expectation missed; the last slot counts the incomplete paths. */
    final int[] stuckByExpectation;
    /** Watermark inputs, one per topic of this partition number this instance consumes. */
    final Map<String, PartitionClock> clocks = new HashMap<>();

    Shard(int partition, Flow flow, Settings settings, History history, SearchIndex search,
            ChoreographyMap choreography, ProcessObserver observer, TimeoutHandler timeouts) {
        this.partition = partition;
        this.search = search;
        this.flow = flow;
        this.settings = settings;
        this.history = history;
        this.choreography = choreography;
        this.observer = observer;
        this.timeouts = timeouts;
        this.autoCancelAfter = settings.autoCancelAfter() == null ? -1 : settings.autoCancelAfter().toMillis();
        this.maxOpenAge = settings.maxOpenAge() == null ? -1 : settings.maxOpenAge().toMillis();
        this.wheel = new TimerWheel(settings.tick().toMillis(), Settings.WHEEL_SLOTS);
        this.inFlightByStep = new int[flow.steps().size() + 1];
        this.stuckByExpectation = new int[flow.expectations().size() + 1];
    }

    int openCount() {
        return open.size();
    }

    int stuckCount() {
        return stuck.size();
    }

    int failedCount() {
        return failed.size();
    }

    int deadLettersOnlyCount() {
        return deadLettersOnly;
    }

    int scheduledTimers() {
        return wheel.size();
    }

    Process find(String correlationId) {
        return open.get(correlationId);
    }

    // --- ingest ----------------------------------------------------------------------------------------

    /**
     * @param openLimit        this shard's share of the open processes: beyond, the least recently active is evicted
     * @param deadLetterLimit  this shard's share of the processes known only from dead letters: beyond, a dead letter
     *                         of an unknown process opens none and is only counted
     */
    void apply(IngestedEvent event, int openLimit, int deadLetterLimit) {
        PartitionClock clock = clocks.get(flow.vocabulary().name(event.topic()));
        if (clock != null) {
            clock.consumed(event.offset(), event.appendedAt());
        }
        Process process = open.get(event.correlationId());
        if (process == null) {
            if (history.applyLate(event, this::appendLate)) {
                return;
            }
            boolean deadLetter = event.kind() == IngestedEvent.DEAD_LETTER;
            if (deadLetter && deadLettersOnly >= deadLetterLimit) {
                // a flood of poison records with ever new keys costs a counter, not a process each
                if (event.live()) {
                    observer.deadLetterUntracked(flow.vocabulary().name(event.topic()), event.deadLetter());
                }
                return;
            }
            process = new Process(event.correlationId(), partition);
            open.put(event.correlationId(), process);
            inFlightByStep[flow.steps().size()]++;
            if (deadLetter) {
                process.set(Process.DEAD_LETTERS_ONLY);
                deadLettersOnly++;
            }
            if (event.live()) {
                observer.started();
            }
        }
        if (process.orderId == null && event.key() != null) {
            process.orderId = event.key();
            byOrderId.put(process);
        }
        if (event.searchKeys() != null) {
            search.add(process, event.searchKeys());
        }
        switch (event.kind()) {
            case IngestedEvent.DEAD_LETTER -> deadLettered(process, event);
            case IngestedEvent.REDRIVE -> redriven(process, event);
            default -> occurred(process, event);
        }
        while (open.size() > openLimit && oldest != null) {
            evict(oldest, Eviction.MAX_OPEN_PROCESSES, event.appendedAt(), event.live());
        }
    }

    private void occurred(Process process, IngestedEvent event) {
        if (process.findEvent(event.eventIdHigh(), event.eventIdLow()) >= 0) {
            if (event.live()) {
                observer.duplicate();
            }
            return;
        }
        int entry = process.append(event, settings.maxTimelineEntries());
        touch(process, event);
        if (process.has(Process.DEAD_LETTERS_ONLY)) {
            process.clear(Process.DEAD_LETTERS_ONLY);
            deadLettersOnly--;
        }
        choreography.recordEvent(event.type(), event.producer(), event.topic());
        link(process, entry, event.live());

        int type = event.type();
        boolean satisfiedAny = satisfy(process, type, event.occurredAt(), event.live());
        Flow.Ending ending = flow.ending(type);
        if (ending != null && !process.has(Process.END_SEEN)) {
            process.set(Process.END_SEEN);
            process.endOutcome = (byte) ending.outcomeFor(event.discriminator()).ordinal();
            removePending(process, p -> flow.step(flow.expectation(Pending.expectation(p)).step()).lapsesOnEnd());
        }
        // a step's deadline counts from when its cause became readable, not from the producer's occurredAt: an
        // outbox or broker delay is not the next service's time, and a skewed producer clock moves nothing
        for (Flow.Step step : flow.stepsAfter(type)) {
            startStep(process, step, entry, event.appendedAt(), event.live());
        }
        for (Flow.Expectation conditional : flow.conditionalOn(type)) {
            int trigger = process.findType(flow.step(conditional.step()).trigger());
            if (trigger >= 0 && applicable(process, flow.step(conditional.step()))) {
                expect(process, conditional, trigger, Math.max(process.appendedAt(trigger), event.appendedAt()),
                        event.live());
            }
        }
        if (satisfiedAny && process.has(Process.FAILED)) {
            setFailed(process, false);
        }
        settle(process, event.occurredAt(), event.live());
    }

    /** Learns which event follows which from causation ids, in whichever order cause and effect arrive. */
    private void link(Process process, int entry, boolean live) {
        long causeHigh = process.causationHigh(entry);
        long causeLow = process.causationLow(entry);
        if (causeHigh != 0 || causeLow != 0) {
            int cause = process.findEvent(causeHigh, causeLow);
            if (cause >= 0 && cause != entry) {
                transition(process, cause, entry, live);
            }
        }
        long idHigh = process.eventIdHigh(entry);
        long idLow = process.eventIdLow(entry);
        for (int other = 0; other < process.size; other++) {
            if (other != entry && process.kind(other) == IngestedEvent.EVENT
                    && process.causationHigh(other) == idHigh && process.causationLow(other) == idLow) {
                transition(process, entry, other, live);
            }
        }
    }

    private void transition(Process process, int cause, int effect, boolean live) {
        long latency = process.at(effect) - process.at(cause);
        choreography.recordTransition(process.type(cause), process.type(effect), latency);
        if (live) {
            observer.transition(process.type(cause), process.type(effect), latency);
        }
    }

    private boolean satisfy(Process process, int type, long at, boolean live) {
        boolean satisfiedAny = false;
        for (int i = process.pendingCount - 1; i >= 0; i--) {
            long pending = process.pending[i];
            Flow.Expectation expectation = flow.expectation(Pending.expectation(pending));
            if (expectation.accepts(type)) {
                if (live) {
                    observer.stepCompleted(flow.step(expectation.step()),
                            at - process.at(Pending.cause(pending)));
                }
                process.removePending(i);
                satisfiedAny = true;
                if (process.stuckExpectation == expectation.index()) {
                    setStuck(process, Process.NOT_STUCK, 0);
                }
            }
        }
        return satisfiedAny;
    }

    private void startStep(Process process, Flow.Step step, int trigger, long since, boolean live) {
        if (step.supersedes()) {
            process.set(Process.SUPERSEDED);
            removePending(process, p -> !flow.step(flow.expectation(Pending.expectation(p)).step()).compensation());
            if (process.stuckExpectation >= 0 && !process.isPending(process.stuckExpectation)) {
                setStuck(process, Process.NOT_STUCK, 0);
            }
        }
        if (!applicable(process, step)) {
            return;
        }
        for (Flow.Expectation expectation : step.expectations()) {
            if (expectation.onlyIfSeen() < 0 || process.findType(expectation.onlyIfSeen()) >= 0) {
                expect(process, expectation, trigger, since, live);
            }
        }
    }

    private boolean applicable(Process process, Flow.Step step) {
        if (step.lapsesOnEnd() && process.has(Process.END_SEEN)) {
            return false;
        }
        return step.compensation() || step.supersedes() || !process.has(Process.SUPERSEDED);
    }

    /**
     * Awaits an expectation, unless an accepted event already came (events may arrive out of order). Its deadline
     * is {@code since} (when the cause became readable) plus the step's deadline.
     */
    private void expect(Process process, Flow.Expectation expectation, int trigger, long since, boolean live) {
        if (process.isPending(expectation.index())) {
            return;
        }
        for (int type : expectation.acceptedTypes()) {
            int seen = process.findType(type);
            if (seen >= 0) {
                if (live) {
                    observer.stepCompleted(flow.step(expectation.step()),
                            Math.max(0, process.at(seen) - process.at(trigger)));
                }
                return;
            }
        }
        process.addPending(Pending.of(expectation.index(), trigger,
                since + flow.step(expectation.step()).deadlineMillis()));
    }

    private void removePending(Process process, Predicate<Long> which) {
        for (int i = process.pendingCount - 1; i >= 0; i--) {
            if (which.test(process.pending[i])) {
                process.removePending(i);
            }
        }
    }

    private void deadLettered(Process process, IngestedEvent event) {
        if (process.hasRecord(IngestedEvent.DEAD_LETTER, event.topic(), event.partition(), event.offset())) {
            return;
        }
        process.append(event, settings.maxTimelineEntries());
        touch(process, event);
        process.addDeadLetter(event.deadLetter());
        setFailed(process, true);
        if (event.live()) {
            observer.deadLettered(event.deadLetter());
        }
        settle(process, event.occurredAt(), event.live());
    }

    /** An operator re-published the awaited event: its expectations get their full deadline again. */
    private void redriven(Process process, IngestedEvent event) {
        if (process.hasRecord(IngestedEvent.REDRIVE, event.topic(), event.partition(), event.offset())) {
            return;
        }
        process.append(event, settings.maxTimelineEntries());
        touch(process, event);
        int cause = process.findEvent(event.eventIdHigh(), event.eventIdLow());
        for (int i = 0; i < process.pendingCount; i++) {
            long pending = process.pending[i];
            if (Pending.cause(pending) == cause) {
                long deadline = Math.max(event.occurredAt(), event.appendedAt()) + flow.step(flow.expectation(Pending.expectation(pending)).step())
                        .deadlineMillis();
                process.pending[i] = Pending.withDeadline(pending, Math.max(Pending.deadline(pending), deadline));
            }
        }
        setStuck(process, Process.NOT_STUCK, 0);
        setFailed(process, false);
        settle(process, event.occurredAt(), event.live());
    }

    private void appendLate(Process ended, IngestedEvent event) {
        if (event.kind() == IngestedEvent.EVENT && ended.findEvent(event.eventIdHigh(), event.eventIdLow()) >= 0
                || event.kind() != IngestedEvent.EVENT
                        && ended.hasRecord(event.kind(), event.topic(), event.partition(), event.offset())) {
            return;
        }
        int entry = ended.append(event, settings.maxTimelineEntries());
        if (event.searchKeys() != null) {
            search.add(ended, event.searchKeys());
        }
        if (event.kind() == IngestedEvent.EVENT) {
            choreography.recordEvent(event.type(), event.producer(), event.topic());
            link(ended, entry, event.live());
        } else if (event.kind() == IngestedEvent.DEAD_LETTER) {
            ended.addDeadLetter(event.deadLetter());
        }
    }

    private void touch(Process process, IngestedEvent event) {
        process.firstAt = Math.min(process.firstAt, event.occurredAt());
        process.lastAt = Math.max(process.lastAt, event.occurredAt());
        process.lastAppendedAt = Math.max(process.lastAppendedAt, event.appendedAt());
        if (newest != process) {
            unlinkRecency(process);
            process.older = newest;
            if (newest != null) {
                newest.newer = process;
            }
            newest = process;
            if (oldest == null) {
                oldest = process;
            }
        }
    }

    private void unlinkRecency(Process process) {
        if (process.newer != null) {
            process.newer.older = process.older;
        } else if (newest == process) {
            newest = process.older;
        }
        if (process.older != null) {
            process.older.newer = process.newer;
        } else if (oldest == process) {
            oldest = process.newer;
        }
        process.newer = null;
        process.older = null;
    }

    /** After a change: end the process if it is complete, else recount its step and set its next timer. */
    private void settle(Process process, long at, boolean live) {
        if (process.has(Process.END_SEEN) && process.pendingCount == 0) {
            if (!process.hasMissingCause(entry -> causeOlderThanLogStart(process, entry))) {
                end(process, at, live);
                return;
            }
            if (!rebuiltFromCutLog && !process.has(Process.AWAITING_REBUILD)) {
                process.set(Process.AWAITING_REBUILD);
                awaitingRebuild.add(process);
            }
        }
        int earliest = process.earliestPending();
        int step = earliest < 0 ? -1 : flow.expectation(Pending.expectation(process.pending[earliest])).step();
        if (step != process.countedStep) {
            inFlightByStep[process.countedStep < 0 ? flow.steps().size() : process.countedStep]--;
            inFlightByStep[step < 0 ? flow.steps().size() : step]++;
            process.countedStep = (short) step;
        }
        if (process.stuckExpectation == Process.QUIET) {
            // it moved again: the quiet time starts over
            setStuck(process, Process.NOT_STUCK, 0);
        }
        schedule(process, Long.MIN_VALUE);
    }

    private void end(Process process, long at, boolean live) {
        Outcome outcome = Outcome.values()[process.endOutcome];
        leave(process, Math.max(at, process.lastAt));
        if (live) {
            observer.ended(outcome, process.endedAt - process.firstAt);
        }
    }

    /**
     * Lets an open process go to stay within the memory limits: it moves to the history as EVICTED, with the reason
     * and the outcome it had, so it still answers a query and a late event of it opens no phantom process.
     */
    private void evict(Process process, Eviction reason, long at, boolean live) {
        process.outcomeBeforeEviction = (byte) process.outcome().ordinal();
        process.evictedBecause = (byte) reason.ordinal();
        process.endOutcome = (byte) Outcome.EVICTED.ordinal();
        leave(process, at);
        if (live) {
            observer.evicted(reason);
        }
    }

    /** Out of the open processes, their timers, lists and counts, into the history. */
    private void leave(Process process, long at) {
        setStuck(process, Process.NOT_STUCK, 0);
        setFailed(process, false);
        process.set(Process.ENDED);
        process.endedAt = at;
        wheel.cancel(process);
        unlinkRecency(process);
        open.remove(process.correlationId);
        byOrderId.remove(process);
        if (process.has(Process.DEAD_LETTERS_ONLY)) {
            process.clear(Process.DEAD_LETTERS_ONLY);
            deadLettersOnly--;
        }
        if (process.has(Process.AWAITING_REBUILD)) {
            process.clear(Process.AWAITING_REBUILD);
            awaitingRebuild.remove(process);
        }
        inFlightByStep[process.countedStep < 0 ? flow.steps().size() : process.countedStep]--;
        history.add(process);
    }

    private void setStuck(Process process, short expectation, long since) {
        if (process.stuckExpectation == expectation) {
            return;
        }
        if (process.stuckExpectation != Process.NOT_STUCK) {
            stuckByExpectation[slotOf(process.stuckExpectation)]--;
            stuck.remove(process);
            process.clear(Process.STUCK);
        }
        process.stuckExpectation = expectation;
        if (expectation != Process.NOT_STUCK) {
            stuckByExpectation[slotOf(expectation)]++;
            stuck.add(process);
            process.set(Process.STUCK);
            process.stuckSince = since;
        }
    }

    private int slotOf(short expectation) {
        return expectation == Process.QUIET ? flow.expectations().size() : expectation;
    }

    private void setFailed(Process process, boolean isFailed) {
        if (isFailed == process.has(Process.FAILED)) {
            return;
        }
        if (isFailed) {
            process.set(Process.FAILED);
            failed.add(process);
        } else {
            process.clear(Process.FAILED);
            failed.remove(process);
        }
    }

    // --- timers ----------------------------------------------------------------------------------------

    /** Advances this shard's deadline timers to its watermark: no later than what it has consumed up to. */
    void advance(long wallClock) {
        long now = watermark(wallClock);
        if (now != Long.MIN_VALUE) {
            wheel.advance(now, process -> wake(process, now));
        }
    }

    /**
     * The time up to which an event would have been seen by now: where this instance has consumed everything, the
     * last time the broker confirmed that (the wall clock until a first confirmation), else the time of the last
     * record it consumed. So a replay or a lagging collector does not take "not read yet" for "never happened", idle
     * topics do not hold the clock back, and while the broker cannot be asked the clock stops: the consumer's own
     * lag still says 0 then, as of a fetch long past.
     *
     * @param wallClock the latest it may be: the wall clock, or the time the store holds every watermark at
     */
    long watermark(long wallClock) {
        if (clocks.isEmpty()) {
            return Long.MIN_VALUE;
        }
        long watermark = Long.MAX_VALUE;
        for (PartitionClock clock : clocks.values()) {
            long readToEnd = clock.caughtUp ? Math.min(wallClock, clock.confirmedReadToEndAt) : Long.MIN_VALUE;
            watermark = Math.min(watermark, Math.max(clock.lastTimestamp, readToEnd));
        }
        return Math.min(watermark, wallClock);
    }

    /**
     * Retention moved the log start offset: a process whose first events are gone would wait for their causes
     * forever (a phantom, flagged as an incomplete path). A cause older than the log start counts as present, and
     * this is how the shard knows one is: the effect was already in the log when the partition was assigned, so its
     * cause (appended before it) was too; every topic-partition of this partition number has since been read from
     * its log start to where it ended at assignment, and the cause was not there; and retention cut at least one
     * of them. A cause missing for a record that came later is only late (its topic lags) and keeps the process open.
     */
    private boolean causeOlderThanLogStart(Process process, int entry) {
        if (!rebuiltFromCutLog) {
            return false;
        }
        PartitionClock clock = clocks.get(flow.vocabulary().name(process.topic(entry)));
        return clock != null && process.offset(entry) < clock.endAtAssignment;
    }

    /**
     * Called when a topic-partition's progress changed: once the shard is rebuilt from a cut log, the processes that
     * waited only for a cause are settled again (a cause older than the log start counts as present now).
     */
    void checkRebuilt() {
        boolean headCut = false;
        boolean read = !clocks.isEmpty();
        for (PartitionClock clock : clocks.values()) {
            headCut |= clock.logStart > 0;
            read &= clock.endAtAssignment >= 0 && (clock.caughtUp || clock.position >= clock.endAtAssignment);
        }
        rebuiltFromCutLog = headCut && read;
        if (rebuiltFromCutLog && !awaitingRebuild.isEmpty()) {
            List<Process> waiting = new ArrayList<>(awaitingRebuild);
            awaitingRebuild.clear();
            for (Process process : waiting) {
                process.clear(Process.AWAITING_REBUILD);
                settle(process, process.lastAt, false);
            }
        }
    }

    boolean live() {
        for (PartitionClock clock : clocks.values()) {
            if (!clock.caughtUp || clock.position < clock.horizon) {
                return false;
            }
        }
        return !clocks.isEmpty();
    }

    private void wake(Process process, long now) {
        if (process.has(Process.ENDED)) {
            return;
        }
        if (maxOpenAge >= 0 && process.firstAt <= now - maxOpenAge) {
            evict(process, Eviction.MAX_OPEN_AGE, now, live());
            return;
        }
        if (!process.has(Process.STUCK)) {
            int earliest = process.earliestPending();
            if (earliest >= 0 && Pending.deadline(process.pending[earliest]) <= now) {
                long pending = process.pending[earliest];
                setStuck(process, (short) Pending.expectation(pending), Pending.deadline(pending));
            } else if (earliest < 0 && process.lastAppendedAt + flow.quietDeadlineMillis() <= now) {
                setStuck(process, Process.QUIET, process.lastAppendedAt + flow.quietDeadlineMillis());
            }
        } else if (autoCancelAfter >= 0 && now >= autoCancelAt(process) && cancellable(process)) {
            if (!live()) {
                schedule(process, now + 1000);
                return;
            }
            process.set(Process.AUTO_CANCEL_REQUESTED);
            timeouts.timedOut(process.correlationId, process.orderId, partition, timeoutReason(process));
        }
        schedule(process, now);
    }

    /**
     * Stuck for the whole auto-cancel time and no record of it readable within that time either: a process that is
     * moving (an event arrived, even late, even one that is not the awaited one) is never cancelled.
     */
    private long autoCancelAt(Process process) {
        return Math.max(process.stuckSince, process.lastAppendedAt) + autoCancelAfter;
    }

    /**
     * The second look before an auto-cancel is published (the collector has just checked with the broker that it
     * has read everything of this partition number): still stuck, still not moving. Otherwise the request lapses
     * and the process is scheduled again.
     */
    boolean confirmAutoCancel(String correlationId, long now) {
        Process process = open.get(correlationId);
        if (process == null || !process.has(Process.AUTO_CANCEL_REQUESTED)) {
            return false;
        }
        if (process.has(Process.STUCK) && now >= autoCancelAt(process)) {
            return true;
        }
        process.clear(Process.AUTO_CANCEL_REQUESTED);
        schedule(process, now);
        return false;
    }

    /** The collector could not confirm it has read everything: ask again at {@code retryAt}. */
    void deferAutoCancel(String correlationId, long retryAt) {
        Process process = open.get(correlationId);
        if (process == null || !process.has(Process.AUTO_CANCEL_REQUESTED)) {
            return;
        }
        process.clear(Process.AUTO_CANCEL_REQUESTED);
        wheel.schedule(process, retryAt);
    }

    private boolean cancellable(Process process) {
        return !process.has(Process.AUTO_CANCEL_REQUESTED) && !process.has(Process.SUPERSEDED)
                && process.orderId != null;
    }

    private String timeoutReason(Process process) {
        if (process.stuckExpectation == Process.QUIET) {
            return "timed out: the process went quiet without ending";
        }
        Flow.Expectation expectation = flow.expectation(process.stuckExpectation);
        return "timed out waiting for " + expectation.eventsLabel() + " from " + expectation.service();
    }

    /** Sets the process's next wake-up: its first deadline, or its auto-cancel time once stuck; its age limit at the latest. */
    private void schedule(Process process, long now) {
        long wake = Long.MIN_VALUE;
        if (process.has(Process.STUCK)) {
            if (autoCancelAfter >= 0 && cancellable(process)) {
                wake = Math.max(autoCancelAt(process), now + 1);
            }
        } else if (process.pendingCount > 0) {
            wake = Pending.deadline(process.pending[process.earliestPending()]);
        } else {
            // open with nothing awaited: no end yet, or an end whose cause chain has a gap
            wake = process.lastAppendedAt + flow.quietDeadlineMillis();
        }
        if (maxOpenAge >= 0) {
            // a STUCK or FAILED process waits for nothing more, yet leaves when it reaches the age limit
            long tooOld = process.firstAt + maxOpenAge;
            wake = wake == Long.MIN_VALUE ? tooOld : Math.min(wake, tooOld);
        }
        if (wake == Long.MIN_VALUE) {
            wheel.cancel(process);
        } else if (!(process.wheelSlot >= 0 && process.wakeAt == wake)) {
            wheel.schedule(process, wake);
        }
    }

    // --- reads -----------------------------------------------------------------------------------------

    /** Up to {@code limit} processes, newest activity first, that match. */
    List<Process> recent(Predicate<Process> filter, int limit) {
        List<Process> found = new ArrayList<>();
        for (Process process = newest; process != null && found.size() < limit; process = process.older) {
            if (filter.test(process)) {
                found.add(process);
            }
        }
        return found;
    }

    /** Up to {@code limit} stuck (or failed) processes that match, longest stuck first. */
    List<Process> attention(boolean failedOnes, Predicate<Process> filter, int limit) {
        List<Process> found = new ArrayList<>();
        Iterator<Process> iterator = (failedOnes ? failed : stuck).iterator();
        while (iterator.hasNext() && found.size() < limit) {
            Process process = iterator.next();
            if ((failedOnes || !process.has(Process.FAILED)) && filter.test(process)) {
                found.add(process);
            }
        }
        return found;
    }

    /** Its partition was given away: its open processes leave memory, and the search index with them. */
    void forgetAll() {
        open.values().forEach(search::remove);
    }

    /** The open process whose record key is this order id, for dead letters that lost their headers. */
    Process findByOrderId(String orderId) {
        return byOrderId.get(orderId);
    }

    /** Watermark input of one topic-partition. */
    static final class PartitionClock {
        /** Offset below which records were already counted by an earlier run (the committed offset). */
        long horizon;
        /** Next offset to read. */
        long position;
        /** The log start offset when it was assigned: above 0, retention (or deleteRecords) cut its head. */
        long logStart;
        /** Its end offset when it was assigned; -1 while unknown. */
        long endAtAssignment = -1;
        long lastTimestamp = Long.MIN_VALUE;
        /** The consumer's lag here was 0 at its last fetch (the broker may have been unreachable since). */
        boolean caughtUp;
        /**
         * The last time the broker confirmed this instance had read the topic-partition to its end. MAX_VALUE until
         * a first confirmation: the consumer's lag alone decides (the model tests and the bench have no broker).
         */
        long confirmedReadToEndAt = Long.MAX_VALUE;

        PartitionClock(long horizon) {
            this.horizon = horizon;
        }

        void consumed(long offset, long timestamp) {
            position = Math.max(position, offset + 1);
            lastTimestamp = Math.max(lastTimestamp, timestamp);
        }
    }
}
