package dev.choreo.order.orders;

import dev.choreo.events.DomainEvent;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import dev.choreo.events.inventory.InventoryRejected;
import dev.choreo.events.inventory.InventoryReleased;
import dev.choreo.events.inventory.InventoryUpdated;
import dev.choreo.events.notification.CustomerNotified;
import dev.choreo.events.payment.OrderPayed;
import dev.choreo.events.payment.PaymentDeclined;
import dev.choreo.events.payment.PaymentRefunded;
import dev.choreo.events.shipping.OrderShipped;
import dev.choreo.events.shipping.ShippingFailed;
import dev.choreo.messaging.inbox.IdempotentConsumer;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The order's status follows the other services' events (docs/choreography.md): PLACED → RESERVED → PAID →
 * SHIPPED → COMPLETED, or REJECTED, or CANCELLED once the compensation released the stock. Failures whose
 * compensation is still to come (declined, not shippable, refunded) only go into the history. Each event is
 * handled once ({@link IdempotentConsumer}); the four topics are read independently, so the status only moves
 * forward.
 */
@Component
class OrderProgressListener {

    private final IdempotentConsumer inbox;
    private final OrderTracking tracking;

    OrderProgressListener(IdempotentConsumer inbox, OrderTracking tracking) {
        this.inbox = inbox;
        this.tracking = tracking;
    }

    @KafkaListener(topics = Topics.INVENTORY_EVENTS)
    void onInventoryEvent(EventEnvelope<DomainEvent> envelope) {
        DomainEvent event = envelope.payload();
        if (event instanceof InventoryUpdated updated) {
            inbox.handleOnce("order-status.inventory-updated", envelope, e -> onInventoryUpdated(e, updated));
        } else if (event instanceof InventoryRejected rejected) {
            inbox.handleOnce("order-status.inventory-rejected", envelope, e -> onInventoryRejected(e, rejected));
        } else if (event instanceof InventoryReleased released) {
            inbox.handleOnce("order-status.inventory-released", envelope, e -> onInventoryReleased(e, released));
        }
    }

    @KafkaListener(topics = Topics.PAYMENT_EVENTS)
    void onPaymentEvent(EventEnvelope<DomainEvent> envelope) {
        DomainEvent event = envelope.payload();
        if (event instanceof OrderPayed payed) {
            inbox.handleOnce("order-status.order-payed", envelope, e -> onOrderPayed(e, payed));
        } else if (event instanceof PaymentDeclined declined) {
            inbox.handleOnce("order-status.payment-declined", envelope, e -> onPaymentDeclined(e, declined));
        } else if (event instanceof PaymentRefunded refunded) {
            inbox.handleOnce("order-status.payment-refunded", envelope, e -> onPaymentRefunded(e, refunded));
        }
    }

    @KafkaListener(topics = Topics.SHIPPING_EVENTS)
    void onShippingEvent(EventEnvelope<DomainEvent> envelope) {
        DomainEvent event = envelope.payload();
        if (event instanceof OrderShipped shipped) {
            inbox.handleOnce("order-status.order-shipped", envelope, e -> onOrderShipped(e, shipped));
        } else if (event instanceof ShippingFailed failed) {
            inbox.handleOnce("order-status.shipping-failed", envelope, e -> onShippingFailed(e, failed));
        }
    }

    @KafkaListener(topics = Topics.NOTIFICATION_EVENTS)
    void onNotificationEvent(EventEnvelope<DomainEvent> envelope) {
        if (envelope.payload() instanceof CustomerNotified notified) {
            inbox.handleOnce("order-status.customer-notified", envelope, e -> onCustomerNotified(e, notified));
        }
    }

    private void onInventoryUpdated(EventEnvelope<?> envelope, InventoryUpdated event) {
        tracking.advance(event.orderId(), envelope, OrderStatus.RESERVED, "stock reserved for %d line(s), reservation %s"
                .formatted(event.lines().size(), event.reservationId()));
    }

    private void onInventoryRejected(EventEnvelope<?> envelope, InventoryRejected event) {
        tracking.advance(event.orderId(), envelope, OrderStatus.REJECTED, "rejected by inventory: " + event.reason()
                + (event.unavailableSkus().isEmpty() ? "" : " (unavailable: " + String.join(", ", event.unavailableSkus()) + ")"));
    }

    private void onInventoryReleased(EventEnvelope<?> envelope, InventoryReleased event) {
        tracking.advance(event.orderId(), envelope, OrderStatus.CANCELLED, "stock released: " + event.reason());
    }

    private void onOrderPayed(EventEnvelope<?> envelope, OrderPayed event) {
        tracking.advance(event.orderId(), envelope, OrderStatus.PAID, "paid %s %s with the card ending %s, payment %s"
                .formatted(event.amount().toPlainString(), event.currency(), event.cardLast4(), event.paymentId()));
    }

    private void onPaymentDeclined(EventEnvelope<?> envelope, PaymentDeclined event) {
        tracking.record(event.orderId(), envelope, "payment of %s %s declined: %s; the reservation is released next"
                .formatted(event.amount().toPlainString(), event.currency(), event.reason()));
    }

    private void onPaymentRefunded(EventEnvelope<?> envelope, PaymentRefunded event) {
        tracking.record(event.orderId(), envelope, "refunded %s %s: %s"
                .formatted(event.amount().toPlainString(), event.currency(), event.reason()));
    }

    private void onOrderShipped(EventEnvelope<?> envelope, OrderShipped event) {
        tracking.advance(event.orderId(), envelope, OrderStatus.SHIPPED, "shipped to %s by %s, tracking number %s"
                .formatted(event.country(), event.carrier(), event.trackingNumber()));
    }

    private void onShippingFailed(EventEnvelope<?> envelope, ShippingFailed event) {
        tracking.record(event.orderId(), envelope, "cannot be shipped: %s; refund and release follow"
                .formatted(event.reason()));
    }

    /**
     * The end event of every process. Its kind names the outcome the customer was told, so it also ends the
     * order when it arrives before the event it follows (notification-events is read independently).
     */
    private void onCustomerNotified(EventEnvelope<?> envelope, CustomerNotified event) {
        OrderStatus outcome = switch (event.kind()) {
            case ORDER_COMPLETED -> OrderStatus.COMPLETED;
            case ORDER_REJECTED -> OrderStatus.REJECTED;
            case ORDER_CANCELLED -> OrderStatus.CANCELLED;
        };
        tracking.advance(event.orderId(), envelope, outcome, "customer notified (%s) by %s"
                .formatted(event.kind(), event.channel()));
    }
}
