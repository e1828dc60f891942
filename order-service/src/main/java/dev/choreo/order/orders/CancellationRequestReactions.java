package dev.choreo.order.orders;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.operations.ProcessCancellationRequested;
import dev.choreo.messaging.inbox.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Operators (through the tracing collector) ask to cancel a stuck process; order-service decides, exactly as
 * for a customer's cancellation, and publishes {@code OrderCancelled} only for an order still in flight.
 */
@Component
class CancellationRequestReactions {

    private final OrderCancelling cancelling;

    CancellationRequestReactions(OrderCancelling cancelling) {
        this.cancelling = cancelling;
    }

    @EventHandler("order-cancellation.process-cancellation-requested")
    void onProcessCancellationRequested(EventEnvelope<?> envelope, ProcessCancellationRequested request) {
        // a refusal is logged and recorded in the order's history; nothing is published then
        cancelling.cancelOnRequest(request.orderId(), request.reason(), request.requestedBy(), envelope);
    }
}
