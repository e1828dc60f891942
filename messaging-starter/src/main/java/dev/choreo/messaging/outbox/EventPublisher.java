package dev.choreo.messaging.outbox;

import dev.choreo.events.DomainEvent;
import dev.choreo.events.EventEnvelope;
import java.time.Clock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Publishes events through the transactional outbox: the event is stored in the same database transaction as
 * the state change that caused it, and sent to Kafka after the commit (again later if Kafka was away). So a
 * state change is never visible without its event, and an event is never sent for a rolled-back change.
 */
public class EventPublisher {

    private final ApplicationEventPublisher applicationEvents;
    private final String producer;
    private final Clock clock;

    public EventPublisher(ApplicationEventPublisher applicationEvents, String producer, Clock clock) {
        this.applicationEvents = applicationEvents;
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

    public <E extends DomainEvent> EventEnvelope<E> publish(EventEnvelope<E> envelope) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            // Without a transaction the outbox row and the state change could not be atomic.
            throw new IllegalStateException("events must be published inside a database transaction");
        }
        applicationEvents.publishEvent(envelope);
        return envelope;
    }

    public String producer() {
        return producer;
    }
}
