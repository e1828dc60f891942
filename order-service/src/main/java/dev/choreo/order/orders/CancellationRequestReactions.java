package dev.choreo.order.orders;

import dev.choreo.events.DomainEvent;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import dev.choreo.events.operations.ProcessCancellationRequested;
import dev.choreo.messaging.inbox.IdempotentConsumer;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Operators (through the tracing collector) ask to cancel a stuck process; order-service decides, exactly as
 * for a customer's cancellation, and publishes {@code OrderCancelled} only for an order still in flight.
 */
@Component
class CancellationRequestListener {

    private final IdempotentConsumer inbox;
    private final OrderCancelling cancelling;

    CancellationRequestListener(IdempotentConsumer inbox, OrderCancelling cancelling) {
        this.inbox = inbox;
        this.cancelling = cancelling;
    }

    @KafkaListener(topics = Topics.OPERATIONS_EVENTS)
    void onOperationsEvent(EventEnvelope<DomainEvent> envelope) {
        if (envelope.payload() instanceof ProcessCancellationRequested requested) {
            inbox.handleOnce("order-cancellation.process-cancellation-requested", envelope,
                    e -> onProcessCancellationRequested(e, requested));
        }
    }

    private void onProcessCancellationRequested(EventEnvelope<?> envelope, ProcessCancellationRequested request) {
        // a refusal is logged and recorded in the order's history; nothing is published then
        cancelling.cancelOnRequest(request.orderId(), request.reason(), request.requestedBy(), envelope);
    }
}
