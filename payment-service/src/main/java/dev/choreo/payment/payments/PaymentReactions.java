package dev.choreo.payment.payments;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.inventory.InventoryUpdated;
import dev.choreo.events.order.OrderCancelled;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.shipping.ShippingFailed;
import dev.choreo.messaging.inbox.EventHandler;
import org.springframework.stereotype.Component;

/**
 * The events payment-service reacts to, one handler per event type. The starter's inbox runs each reaction once
 * per event id (a redelivery or duplicate is skipped) in one transaction with its state change and published
 * events. Other events on these topics are none of payment's business and are skipped.
 */
@Component
class PaymentReactions {

    private final Payments payments;

    PaymentReactions(Payments payments) {
        this.payments = payments;
    }

    @EventHandler("record-order")
    void onOrderPlaced(EventEnvelope<?> envelope, OrderPlaced placed) {
        payments.recordOrder(envelope, placed);
    }

    @EventHandler("cancel")
    void onOrderCancelled(EventEnvelope<?> envelope, OrderCancelled cancelled) {
        payments.cancel(envelope, cancelled);
    }

    @EventHandler("charge")
    void onInventoryUpdated(EventEnvelope<?> envelope, InventoryUpdated reserved) {
        payments.chargeReservedOrder(envelope, reserved);
    }

    @EventHandler("refund-failed-shipment")
    void onShippingFailed(EventEnvelope<?> envelope, ShippingFailed failed) {
        payments.refundFailedShipment(envelope, failed);
    }
}
