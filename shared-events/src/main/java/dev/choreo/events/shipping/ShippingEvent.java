package dev.choreo.events.shipping;

import dev.choreo.events.OrderScopedEvent;

/** Events published by shipping-service on {@link dev.choreo.events.Topics#SHIPPING_EVENTS}. */
public sealed interface ShippingEvent extends OrderScopedEvent permits OrderShipped, ShippingFailed {
}
