package dev.choreo.events.operations;

import dev.choreo.events.Limits;
import dev.choreo.events.Require;

/**
 * An operator (or the collector's timeout) asks to cancel a stuck process. order-service decides: an order
 * still in flight is cancelled with {@link dev.choreo.events.order.OrderCancelled}, which starts compensation.
 */
public record ProcessCancellationRequested(String orderId, String reason, String requestedBy)
        implements OperationsEvent {

    public ProcessCancellationRequested {
        Require.text(orderId, "orderId", Limits.ID);
        Require.text(reason, "reason", Limits.REASON);
        Require.text(requestedBy, "requestedBy", Limits.LABEL);
    }
}
