package dev.choreo.events.shipping;

import dev.choreo.events.Limits;
import dev.choreo.events.Require;

/** The order cannot be shipped; payment refunds and inventory releases in reaction. */
public record ShippingFailed(String orderId, String reason) implements ShippingEvent {

    public ShippingFailed {
        Require.text(orderId, "orderId", Limits.ID);
        Require.text(reason, "reason", Limits.REASON);
    }
}
