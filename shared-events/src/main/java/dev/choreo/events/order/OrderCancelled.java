package dev.choreo.events.order;

import dev.choreo.events.Limits;
import dev.choreo.events.Require;

/**
 * The order was cancelled while in flight (by the customer, an operator or a timeout). Every service that did
 * something for the order undoes it: inventory releases, payment refunds.
 */
public record OrderCancelled(String orderId, String reason, String requestedBy) implements OrderEvent {

    public OrderCancelled {
        Require.text(orderId, "orderId", Limits.ID);
        Require.text(reason, "reason", Limits.REASON);
        Require.text(requestedBy, "requestedBy", Limits.LABEL);
    }
}
