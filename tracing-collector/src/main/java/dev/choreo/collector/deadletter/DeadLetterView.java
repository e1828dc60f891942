package dev.choreo.collector.deadletter;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One dead letter as listed.
 *
 * @param handledBy   who re-drove or discarded it (null while NEW or PARKED)
 * @param redrivenTo  where its re-drive went: {@code topic-partition@offset}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetterView(String id, String topic, int partition, long offset, Instant deadLetteredAt,
        String reason, String consumerGroup, String eventType, String correlationId, String orderId,
        String originalTopic, int originalPartition, long originalOffset, int redriveCount, DeadLetterStatus status,
        String handledBy, Instant handledAt, String redrivenTo) {

    static DeadLetterView of(DeadLetterEntry entry, DeadLetterStatus status, ActionLedger.Handled handled) {
        return new DeadLetterView(entry.id(), entry.topic(), entry.partition(), entry.offset(),
                Instant.ofEpochMilli(entry.timestamp()), entry.reason(), entry.group(), entry.eventType(),
                entry.correlationId(), entry.orderId(), entry.originalTopic(), entry.originalPartition(),
                entry.originalOffset(), entry.redriveCount(), status, handled == null ? null : handled.requestedBy(),
                handled == null ? null : Instant.ofEpochMilli(handled.at()),
                handled == null ? null : handled.redrivenTo());
    }
}
