package dev.choreo.events.order;

import dev.choreo.events.OrderScopedEvent;

/** Events published by order-service on {@link dev.choreo.events.Topics#ORDER_EVENTS}. */
public sealed interface OrderEvent extends OrderScopedEvent permits OrderPlaced, OrderCancelled {
}
