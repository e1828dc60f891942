package dev.choreo.events.payment;

import dev.choreo.events.OrderScopedEvent;

/** Events published by payment-service on {@link dev.choreo.events.Topics#PAYMENT_EVENTS}. */
public sealed interface PaymentEvent extends OrderScopedEvent permits OrderPayed, PaymentDeclined, PaymentRefunded {
}
