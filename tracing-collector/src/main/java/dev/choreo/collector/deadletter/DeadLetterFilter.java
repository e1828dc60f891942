package dev.choreo.collector.deadletter;

import java.time.Instant;

/**
 * Which dead letters a list or an action covers; every criterion given must match (exactly), none given matches all.
 *
 * @param topic         the dead-letter topic ({@code payment-events.DLT}) or the original topic ({@code payment-events})
 * @param group         the consumer group (service) that gave up
 * @param from          dead-lettered at or after
 * @param to            dead-lettered before
 */
public record DeadLetterFilter(String topic, String reason, String group, Instant from, Instant to, String orderId,
        String correlationId, DeadLetterStatus status) {

    boolean matches(DeadLetterEntry entry, DeadLetterStatus statusOfEntry) {
        return (blank(topic) || topic.equals(entry.topic()) || topic.equals(entry.originalTopic()))
                && (blank(reason) || reason.equals(entry.reason()))
                && (blank(group) || group.equals(entry.group()))
                && (from == null || entry.timestamp() >= from.toEpochMilli())
                && (to == null || entry.timestamp() < to.toEpochMilli())
                && (blank(orderId) || orderId.equals(entry.orderId()))
                && (blank(correlationId) || correlationId.equals(entry.correlationId()))
                && (status == null || status == statusOfEntry);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
