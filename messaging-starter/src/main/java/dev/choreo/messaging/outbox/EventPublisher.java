package dev.choreo.messaging.outbox;

import dev.choreo.events.DomainEvent;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventHeaders;
import dev.choreo.events.EventJson;
import dev.choreo.messaging.tracing.TraceContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Publishes events through the transactional outbox: the event is stored in the same database transaction as
 * the state change that caused it, and sent to Kafka after the commit (again later if Kafka was away). So a
 * state change is never visible without its event, and an event is never sent for a rolled-back change.
 */
public class EventPublisher {

    private final Outbox outbox;
    private final String producer;
    private final Clock clock;

    public EventPublisher(Outbox outbox, String producer, Clock clock) {
        this.outbox = outbox;
        this.producer = producer;
        this.clock = clock;
    }

    /** Publishes the first event of a new process, minting its correlation id. */
    public <E extends DomainEvent> EventEnvelope<E> startProcess(E payload) {
        return publish(EventEnvelope.startProcess(payload, producer, clock));
    }

    /** Publishes an event caused by {@code cause}, in the same process. */
    public <E extends DomainEvent> EventEnvelope<E> react(EventEnvelope<?> cause, E payload) {
        return publish(cause.reactWith(payload, producer, clock));
    }

    /** Publishes an event of an existing process that no single event caused (e.g. an operator's request). */
    public <E extends DomainEvent> EventEnvelope<E> publishInProcess(String correlationId, E payload) {
        return publish(EventEnvelope.inProcess(correlationId, payload, producer, clock));
    }

    /**
     * Publishes an event caused by an event known only by its id and correlation id: a reaction that joins two
     * events, or one held until a later event released it.
     */
    public <E extends DomainEvent> EventEnvelope<E> reactTo(String correlationId, UUID causationId, E payload) {
        return publish(EventEnvelope.causedBy(correlationId, causationId, payload, producer, clock));
    }

    /**
     * Stores the envelope in the outbox of the current transaction: its type's topic, keyed by its stream (the order
     * id), with the routing fields repeated as headers and the current trace context.
     *
     * @throws IllegalStateException outside a database transaction
     */
    public <E extends DomainEvent> EventEnvelope<E> publish(EventEnvelope<E> envelope) {
        List<Header> headers = new ArrayList<>(7);
        headers.add(header(EventHeaders.EVENT_ID, envelope.eventId().toString()));
        headers.add(header(EventHeaders.EVENT_TYPE, envelope.eventType()));
        headers.add(header(EventHeaders.SCHEMA_VERSION, Integer.toString(envelope.schemaVersion())));
        headers.add(header(EventHeaders.CORRELATION_ID, envelope.correlationId()));
        headers.add(header(EventHeaders.PRODUCER, envelope.producer()));
        TraceContext.captureInto(headers);
        outbox.append(envelope.topic(), null, envelope.key(), headers, EventJson.write(envelope));
        return envelope;
    }

    public String producer() {
        return producer;
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
