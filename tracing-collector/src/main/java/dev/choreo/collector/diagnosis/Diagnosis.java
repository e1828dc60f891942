package dev.choreo.collector.diagnosis;

/**
 * Why a process is stuck or failed, and who to look at.
 *
 * @param kind           the verdict
 * @param suspectService the service that should have acted
 * @param consumerGroup  its consumer group
 * @param summary        one sentence for a person
 * @param awaitedEvents  what the process waits for
 * @param waitingMillis  since when (the cause event's time) until now
 * @param topic          where the event the service should consume is
 * @param partition      its partition
 * @param offset         its offset
 * @param committedOffset the group's committed offset on that partition, or null if it never committed
 * @param lag            records the group has yet to consume on that partition, or null
 * @param liveMembers    members of the group now, or null when unknown
 * @param cause          the dead-letter cause, for DEAD_LETTERED
 * @param publishDelayMillis how long the awaited step's cause took from its occurredAt to being readable in Kafka,
 *                       when that was long (its producer's outbox or the broker held it); null otherwise. The
 *                       deadline counted from when it became readable, so this time is not blamed on the suspect
 * @param oldestWaitingMillis how long the oldest record the suspect's group has not consumed on that partition has
 *                       been readable (its consumer lag in seconds there, in millis); null when nothing waits there or
 *                       it could not be told
 */
public record Diagnosis(
        Kind kind,
        String suspectService,
        String consumerGroup,
        String summary,
        String awaitedEvents,
        Long waitingMillis,
        String topic,
        Integer partition,
        Long offset,
        Long committedOffset,
        Long lag,
        Integer liveMembers,
        String cause,
        Long publishDelayMillis,
        Long oldestWaitingMillis) {

    public enum Kind {
        /** The group has not reached the event and has no live members. */
        SERVICE_DOWN,
        /** The group has live members but has not reached the event yet. */
        SERVICE_SLOW,
        /** The group consumed the event (committed past it) but nothing followed. */
        HANDLER_FAILED_OR_DROPPED,
        /** The group gave up on the event and dead-lettered it. */
        DEAD_LETTERED,
        /** Nothing more is declared after the last event, yet the process never ended. */
        INCOMPLETE_PATH,
        /** The Kafka Admin API did not answer. */
        UNKNOWN
    }
}
