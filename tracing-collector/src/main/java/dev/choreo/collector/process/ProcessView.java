package dev.choreo.collector.process;

import dev.choreo.collector.flow.Outcome;
import java.time.Instant;
import java.util.List;

/**
 * A process as a person reads it: outcome, what it waits for, time per step and the ordered timeline.
 *
 * @param currentStep    the step of the expectation due first; null when nothing is awaited
 * @param stuckOn        the expectation that missed its deadline, when STUCK
 * @param incompletePath STUCK although the declared flow awaits nothing more: the events seen are no complete path
 * @param elidedEntries  timeline entries dropped to keep the process bounded
 * @param evicted        why and when the collector let it go (outcome EVICTED), else null
 */
public record ProcessView(
        String correlationId,
        String orderId,
        int partition,
        Outcome outcome,
        String currentStep,
        Instant startedAt,
        Instant lastEventAt,
        Instant endedAt,
        long durationMillis,
        Instant stuckSince,
        Awaited stuckOn,
        boolean incompletePath,
        List<Awaited> awaiting,
        List<StepView> steps,
        List<Entry> timeline,
        int elidedEntries,
        List<DeadLetter> deadLetters,
        Evicted evicted) {

    /**
     * An open process the collector let go to stay within its memory limits. Its events after that are still added
     * to its timeline while it is in the history, but it is not reopened, flagged or cancelled.
     *
     * @param reason       the limit reached: {@code max-open-processes} (the least recently active went) or
     *                     {@code max-open-age}
     * @param outcomeBefore RUNNING, STUCK or FAILED
     */
    public record Evicted(String reason, Outcome outcomeBefore, Instant at) {
    }

    /**
     * An expectation still open: which service must publish which event, since when, until when.
     *
     * @param since when the deadline started counting: when the cause became readable in Kafka (the collector's
     *              clock), not the cause's occurredAt
     */
    public record Awaited(String step, String service, String events, Instant since, Instant deadline,
            boolean overdue, EventRef cause) {
    }

    /**
     * Where an event is: enough to look it up in Kafka and to re-publish it.
     *
     * @param occurredAt         when its producer says it occurred (the producer's clock)
     * @param appendedAt         when it became readable in Kafka (the collector's estimate, its own clock)
     * @param publishDelayMillis appendedAt - occurredAt, at least 0: how long the producer's outbox or the broker
     *                           held it (plus the producer's clock skew)
     */
    public record EventRef(String eventType, String eventId, String producer, String topic, int partition,
            long offset, Instant occurredAt, Instant appendedAt, long publishDelayMillis) {
    }

    /**
     * One timeline entry.
     *
     * @param kind EVENT, DEAD_LETTER (the record as a consumer group gave up on it) or REDRIVE (re-published by
     *             an operator)
     */
    public record Entry(String kind, String eventType, String eventId, String causationId, String producer,
            String topic, int partition, long offset, Instant occurredAt, Instant appendedAt, String traceId) {
    }

    /** A declared step this process went through: DONE, WAITING, STUCK or SKIPPED (superseded). */
    public record StepView(String step, String after, String service, Instant startedAt, Instant endedAt,
            Long durationMillis, String state) {
    }
}
