package dev.choreo.events;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The one envelope every event travels in.
 *
 * @param eventId       unique per event; the consumers' idempotency key
 * @param eventType     the catalogue name of the payload, e.g. {@code OrderPlaced}
 * @param schemaVersion version of the payload's schema, read side by side by consumers
 * @param correlationId minted when the order is placed and carried unchanged by every later event
 * @param causationId   the event id this event reacts to; {@code null} for the first event of a process
 * @param occurredAt    when the producer recorded the fact
 * @param producer      the service that published it
 * @param payload       the event itself
 */
public record EventEnvelope<E extends DomainEvent>(
        UUID eventId,
        String eventType,
        int schemaVersion,
        String correlationId,
        UUID causationId,
        Instant occurredAt,
        String producer,
        E payload) {

    public EventEnvelope {
        Objects.requireNonNull(eventId, "eventId");
        Require.text(eventType, "eventType", Limits.ID);
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion must be >= 1");
        }
        Require.text(correlationId, "correlationId", Limits.ID);
        Objects.requireNonNull(occurredAt, "occurredAt");
        Require.text(producer, "producer", Limits.LABEL);
        Objects.requireNonNull(payload, "payload");
    }

    /** Starts a new process: the first event gets a fresh correlation id and no cause. */
    public static <E extends DomainEvent> EventEnvelope<E> startProcess(E payload, String producer, Clock clock) {
        return create(UUID.randomUUID().toString(), null, payload, producer, clock);
    }

    /** An event that belongs to an existing process without reacting to a particular event. */
    public static <E extends DomainEvent> EventEnvelope<E> inProcess(
            String correlationId, E payload, String producer, Clock clock) {
        return create(correlationId, null, payload, producer, clock);
    }

    /**
     * An event of an existing process caused by an event the caller only knows by id (for example one remembered
     * in a row while the reaction waited for a second event).
     */
    public static <E extends DomainEvent> EventEnvelope<E> causedBy(
            String correlationId, UUID causationId, E payload, String producer, Clock clock) {
        return create(correlationId, Objects.requireNonNull(causationId, "causationId"), payload, producer, clock);
    }

    /** An event published in reaction to {@code cause}: same correlation id, caused by the cause's id. */
    public <N extends DomainEvent> EventEnvelope<N> reactWith(N payload, String producer, Clock clock) {
        return create(correlationId, eventId, payload, producer, clock);
    }

    /** The record key: every event of one order shares it, and so the partition. */
    public String key() {
        return payload.streamKey();
    }

    /** The topic this event is published to. */
    public String topic() {
        return EventCatalog.typeOf(payload.getClass()).topic();
    }

    private static <E extends DomainEvent> EventEnvelope<E> create(
            String correlationId, UUID causationId, E payload, String producer, Clock clock) {
        EventType type = EventCatalog.typeOf(payload.getClass());
        return new EventEnvelope<>(UUID.randomUUID(), type.name(), type.schemaVersion(), correlationId, causationId,
                clock.instant(), producer, payload);
    }
}
