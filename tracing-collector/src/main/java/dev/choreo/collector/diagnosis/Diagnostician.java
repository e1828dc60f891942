package dev.choreo.collector.diagnosis;

import dev.choreo.collector.CollectorProperties;
import dev.choreo.collector.flow.Outcome;
import dev.choreo.collector.process.DeadLetter;
import dev.choreo.collector.process.ProcessView;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.springframework.stereotype.Service;

/**
 * Says why a process is stuck or failed by joining what the collector knows (the awaited event, its position,
 * dead letters) with what Kafka knows about the consumer group that should act on it.
 */
@Service
public class Diagnostician {

    private final ConsumerGroupProbe probe;
    private final OldestWaiting oldestWaiting;
    private final CollectorProperties properties;
    private final Clock clock;

    Diagnostician(ConsumerGroupProbe probe, OldestWaiting oldestWaiting, CollectorProperties properties, Clock clock) {
        this.probe = probe;
        this.oldestWaiting = oldestWaiting;
        this.properties = properties;
        this.clock = clock;
    }

    /** The diagnosis of a STUCK or FAILED process; null for any other. */
    public Diagnosis diagnose(ProcessView process) {
        if (process.outcome() == Outcome.FAILED && !process.deadLetters().isEmpty()) {
            return deadLettered(process, process.deadLetters().get(process.deadLetters().size() - 1));
        }
        if (process.outcome() != Outcome.STUCK) {
            return null;
        }
        if (process.incompletePath() || process.stuckOn() == null) {
            return incompletePath(process);
        }
        return consumerGroup(process.stuckOn());
    }

    private Diagnosis deadLettered(ProcessView process, DeadLetter deadLetter) {
        String group = deadLetter.group();
        String service = group == null ? "unknown" : serviceOf(group);
        ProcessView.Awaited awaited = process.stuckOn() != null ? process.stuckOn()
                : process.awaiting().isEmpty() ? null : process.awaiting().get(0);
        String event = deadLetter.originalTopic() == null ? "an event"
                : "the record at " + deadLetter.originalTopic() + "-" + deadLetter.originalPartition() + "@"
                        + deadLetter.originalOffset();
        String summary = service + " dead-lettered " + event + ": " + deadLetter.cause()
                + ". Fix the cause, then re-drive the process (or cancel it).";
        return new Diagnosis(Diagnosis.Kind.DEAD_LETTERED, service, group, summary,
                awaited == null ? null : awaited.events(), awaited == null ? null : waiting(awaited),
                deadLetter.originalTopic(), deadLetter.originalPartition() < 0 ? null : deadLetter.originalPartition(),
                deadLetter.originalOffset() < 0 ? null : deadLetter.originalOffset(), null, null, null,
                deadLetter.cause(), null, null);
    }

    private Diagnosis incompletePath(ProcessView process) {
        ProcessView.Entry last = process.timeline().isEmpty() ? null
                : process.timeline().get(process.timeline().size() - 1);
        String producer = last == null ? "unknown" : last.producer();
        String summary = "The process went quiet after " + (last == null ? "its last event" : last.eventType())
                + " from " + producer + " without ending, and the declared flow awaits nothing more: "
                + "an unexpected path (check the flow configuration, or cancel the process).";
        return new Diagnosis(Diagnosis.Kind.INCOMPLETE_PATH, producer, null, summary, null, null,
                last == null ? null : last.topic(), last == null ? null : last.partition(),
                last == null ? null : last.offset(), null, null, null, null, null, null);
    }

    private Diagnosis consumerGroup(ProcessView.Awaited awaited) {
        ProcessView.EventRef cause = awaited.cause();
        String service = awaited.service();
        String group = properties.groupOf(service);
        TopicPartition tp = new TopicPartition(cause.topic(), cause.partition());
        String where = cause.eventType() + " (" + tp + "@" + cause.offset() + ")";
        long waiting = waiting(awaited);
        Long delay = cause.publishDelayMillis() >= properties.diagnosis().publishDelay().toMillis()
                ? cause.publishDelayMillis() : null;
        // the deadline counted from when the cause became readable: a long way there was its producer's
        String delayed = delay == null ? "" : " " + cause.eventType() + " reached Kafka " + human(delay)
                + " after it occurred: " + cause.producer() + "'s outbox or the broker held it (not counted against "
                + service + ": the deadline counts from when the event became readable).";
        ConsumerGroupProbe.GroupState state;
        long end;
        try {
            state = probe.group(group);
            end = probe.endOffset(tp);
        } catch (ConsumerGroupProbe.ProbeException e) {
            return new Diagnosis(Diagnosis.Kind.UNKNOWN, service, group, "Waiting " + human(waiting) + " for "
                    + awaited.events() + " from " + service + " after " + where
                    + "; could not ask Kafka about group " + group + ": " + e.getMessage() + "." + delayed, awaited.events(),
                    waiting,
                    cause.topic(), cause.partition(), cause.offset(), null, null, null, null, delay, null);
        }
        Long committed = state.committed().get(tp);
        Long oldest = oldestWaiting(group, tp, committed == null ? 0 : committed, end);
        String age = oldest == null ? "" : " The oldest record waiting for " + group + " on " + tp + " has been there "
                + human(oldest) + ".";
        if (committed != null && committed > cause.offset()) {
            String summary = service + " consumed " + where + " (group " + group + " committed " + committed
                    + ") but published no " + awaited.events() + " in " + human(waiting)
                    + ": its handler failed or dropped the event. Look in its logs for this correlation id." + age
                    + delayed;
            return new Diagnosis(Diagnosis.Kind.HANDLER_FAILED_OR_DROPPED, service, group, summary, awaited.events(),
                    waiting, cause.topic(), cause.partition(), cause.offset(), committed,
                    Math.max(0, end - committed), state.members(), null, delay, oldest);
        }
        long lag = Math.max(0, end - (committed == null ? 0 : committed));
        long ahead = cause.offset() - (committed == null ? 0 : committed) + 1;
        String position = committed == null ? "has never committed on " + tp : "is at offset " + committed;
        if (state.members() == 0) {
            String summary = service + " looks down: consumer group " + group + " has no live members, " + position
                    + " and has " + records(lag) + " to go there; it has not consumed " + where + " ("
                    + records(ahead) + " ahead of it). Waiting " + human(waiting) + " for " + awaited.events() + "." + age
                    + delayed;
            return new Diagnosis(Diagnosis.Kind.SERVICE_DOWN, service, group, summary, awaited.events(), waiting,
                    cause.topic(), cause.partition(), cause.offset(), committed, lag, 0, null, delay, oldest);
        }
        String assignment = state.assigned().contains(tp) ? "" : " No member is assigned " + tp + ".";
        String summary = service + " is slow: consumer group " + group + " has " + state.members()
                + " live member(s) but " + position + ", " + records(lag) + " behind; it has not reached " + where
                + " yet. Waiting " + human(waiting) + " for " + awaited.events() + "." + assignment + age + delayed;
        return new Diagnosis(Diagnosis.Kind.SERVICE_SLOW, service, group, summary, awaited.events(), waiting,
                cause.topic(), cause.partition(), cause.offset(), committed, lag, state.members(), null, delay, oldest);
    }

    /** The group's consumer lag in seconds on the partition (in millis), or null when nothing waits there. */
    private Long oldestWaiting(String group, TopicPartition tp, long committed, long end) {
        if (committed >= end) {
            return null;
        }
        OptionalLong appendedAt = oldestWaiting.appendedAt(group, tp, committed, end);
        return appendedAt.isEmpty() ? null : Math.max(0, clock.millis() - appendedAt.getAsLong());
    }

    private String serviceOf(String group) {
        return properties.consumerGroups().entrySet().stream().filter(e -> e.getValue().equals(group))
                .map(Map.Entry::getKey).findFirst().orElse(group);
    }

    private long waiting(ProcessView.Awaited awaited) {
        return Math.max(0, clock.millis() - awaited.since().toEpochMilli());
    }

    private static String records(long count) {
        return count == 1 ? "1 record" : count + " records";
    }

    private static String human(long millis) {
        Duration duration = Duration.ofMillis(millis);
        if (duration.toHours() > 0) {
            return duration.toHours() + " h " + duration.toMinutesPart() + " min";
        }
        if (duration.toMinutes() > 0) {
            return duration.toMinutes() + " min " + duration.toSecondsPart() + " s";
        }
        return duration.toSeconds() + "." + duration.toMillisPart() / 100 + " s";
    }
}
