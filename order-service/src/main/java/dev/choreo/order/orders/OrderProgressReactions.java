package dev.choreo.order.orders;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.inventory.InventoryRejected;
import dev.choreo.events.inventory.InventoryReleased;
import dev.choreo.events.inventory.InventoryUpdated;
import dev.choreo.events.notification.CustomerNotified;
import dev.choreo.events.payment.OrderPayed;
import dev.choreo.events.payment.PaymentDeclined;
import dev.choreo.events.payment.PaymentRefunded;
import dev.choreo.events.shipping.OrderShipped;
import dev.choreo.events.shipping.ShippingFailed;
import dev.choreo.messaging.inbox.EventHandler;
import org.springframework.stereotype.Component;

/**
 * The order's status follows the other services' events (docs/choreography.md): PLACED → RESERVED → PAID →
 * SHIPPED → COMPLETED, or REJECTED, or CANCELLED once the compensation released the stock. Failures whose
 * compensation is still to come (declined, not shippable, refunded) only go into the history. The starter's inbox
 * handles each event once ({@link EventHandler}); the four topics are read independently, so the status only moves
 * forward.
 */
@Component
class OrderProgressReactions {

    private final OrderTracking tracking;

    OrderProgressReactions(OrderTracking tracking) {
        this.tracking = tracking;
    }

    @EventHandler("order-status.inventory-updated")
    void onInventoryUpdated(EventEnvelope<?> envelope, InventoryUpdated event) {
        tracking.advance(event.orderId(), envelope, OrderStatus.RESERVED, "stock reserved for %d line(s), reservation %s"
                .formatted(event.lines().size(), event.reservationId()));
    }

    @EventHandler("order-status.inventory-rejected")
    void onInventoryRejected(EventEnvelope<?> envelope, InventoryRejected event) {
        tracking.advance(event.orderId(), envelope, OrderStatus.REJECTED, "rejected by inventory: " + event.reason()
                + (event.unavailableSkus().isEmpty() ? "" : " (unavailable: " + String.join(", ", event.unavailableSkus()) + ")"));
    }

    @EventHandler("order-status.inventory-released")
    void onInventoryReleased(EventEnvelope<?> envelope, InventoryReleased event) {
        tracking.advance(event.orderId(), envelope, OrderStatus.CANCELLED, "stock released: " + event.reason());
    }

    @EventHandler("order-status.order-payed")
    void onOrderPayed(EventEnvelope<?> envelope, OrderPayed event) {
        tracking.advance(event.orderId(), envelope, OrderStatus.PAID, "paid %s %s with the card ending %s, payment %s"
                .formatted(event.amount().toPlainString(), event.currency(), event.cardLast4(), event.paymentId()));
    }

    @EventHandler("order-status.payment-declined")
    void onPaymentDeclined(EventEnvelope<?> envelope, PaymentDeclined event) {
        tracking.record(event.orderId(), envelope, "payment of %s %s declined: %s; the reservation is released next"
                .formatted(event.amount().toPlainString(), event.currency(), event.reason()));
    }

    @EventHandler("order-status.payment-refunded")
    void onPaymentRefunded(EventEnvelope<?> envelope, PaymentRefunded event) {
        tracking.record(event.orderId(), envelope, "refunded %s %s: %s"
                .formatted(event.amount().toPlainString(), event.currency(), event.reason()));
    }

    @EventHandler("order-status.order-shipped")
    void onOrderShipped(EventEnvelope<?> envelope, OrderShipped event) {
        tracking.advance(event.orderId(), envelope, OrderStatus.SHIPPED, "shipped to %s by %s, tracking number %s"
                .formatted(event.country(), event.carrier(), event.trackingNumber()));
    }

    @EventHandler("order-status.shipping-failed")
    void onShippingFailed(EventEnvelope<?> envelope, ShippingFailed event) {
        tracking.record(event.orderId(), envelope, "cannot be shipped: %s; refund and release follow"
                .formatted(event.reason()));
    }

    /**
     * The end event of every process. Its kind names the outcome the customer was told, so it also ends the
     * order when it arrives before the event it follows (notification-events is read independently).
     */
    @EventHandler("order-status.customer-notified")
    void onCustomerNotified(EventEnvelope<?> envelope, CustomerNotified event) {
        OrderStatus outcome = switch (event.kind()) {
            case ORDER_COMPLETED -> OrderStatus.COMPLETED;
            case ORDER_REJECTED -> OrderStatus.REJECTED;
            case ORDER_CANCELLED -> OrderStatus.CANCELLED;
        };
        tracking.advance(event.orderId(), envelope, outcome, "customer notified (%s) by %s"
                .formatted(event.kind(), event.channel()));
    }
}
