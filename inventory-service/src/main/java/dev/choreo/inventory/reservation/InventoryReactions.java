package dev.choreo.inventory.reservation;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Limits;
import dev.choreo.events.Texts;
import dev.choreo.events.order.OrderCancelled;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.payment.PaymentDeclined;
import dev.choreo.events.shipping.OrderShipped;
import dev.choreo.events.shipping.ShippingFailed;
import dev.choreo.messaging.inbox.EventHandler;
import org.springframework.stereotype.Component;

/**
 * What inventory reacts to (docs/choreography.md): a placed order reserves, every compensation releases, a
 * shipment books the reserved stock as shipped. The starter's inbox runs each reaction once per event, whatever
 * Kafka redelivers, in one transaction with its state change and the events it publishes; the other events on
 * these topics are not inventory's business and are skipped.
 */
@Component
class InventoryReactions {

    private final StockReservations reservations;

    InventoryReactions(StockReservations reservations) {
        this.reservations = reservations;
    }

    @EventHandler("reserve-stock")
    void onOrderPlaced(EventEnvelope<?> envelope, OrderPlaced placed) {
        reservations.reserve(envelope, placed);
    }

    @EventHandler("remember-cancellation")
    void onOrderCancelled(EventEnvelope<?> envelope, OrderCancelled cancelled) {
        reservations.rememberCancellation(envelope, cancelled.orderId(),
                fit("order cancelled by " + cancelled.requestedBy() + ": " + cancelled.reason()));
    }

    @EventHandler("release-on-payment-declined")
    void onPaymentDeclined(EventEnvelope<?> envelope, PaymentDeclined declined) {
        reservations.release(envelope, declined.orderId(), fit("payment declined: " + declined.reason()));
    }

    @EventHandler("release-on-shipping-failed")
    void onShippingFailed(EventEnvelope<?> envelope, ShippingFailed failed) {
        reservations.release(envelope, failed.orderId(), fit("shipping failed: " + failed.reason()));
    }

    @EventHandler("ship-stock")
    void onOrderShipped(EventEnvelope<?> envelope, OrderShipped shipped) {
        reservations.ship(envelope, shipped.orderId());
    }

    /** A reason quoting another event's reason may exceed the limit InventoryReleased holds it to. */
    private static String fit(String reason) {
        return Texts.abbreviate(reason, Limits.REASON);
    }
}
