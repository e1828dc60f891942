package dev.choreo.inventory.reservation;

import dev.choreo.events.DomainEvent;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import dev.choreo.events.order.OrderCancelled;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.payment.PaymentDeclined;
import dev.choreo.events.shipping.OrderShipped;
import dev.choreo.events.shipping.ShippingFailed;
import dev.choreo.messaging.inbox.IdempotentConsumer;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * What inventory reacts to (docs/choreography.md): a placed order reserves, every compensation releases, a
 * shipment books the reserved stock as shipped. Each reaction runs once per event, whatever Kafka redelivers;
 * the other events on these topics are not inventory's business.
 */
@Component
class InventoryEventListener {

    private final IdempotentConsumer inbox;
    private final StockReservations reservations;

    InventoryEventListener(IdempotentConsumer inbox, StockReservations reservations) {
        this.inbox = inbox;
        this.reservations = reservations;
    }

    @KafkaListener(topics = Topics.ORDER_EVENTS)
    void onOrderEvent(EventEnvelope<DomainEvent> envelope) {
        if (envelope.payload() instanceof OrderPlaced placed) {
            orderPlaced(envelope, placed);
        } else if (envelope.payload() instanceof OrderCancelled cancelled) {
            orderCancelled(envelope, cancelled);
        }
    }

    @KafkaListener(topics = Topics.PAYMENT_EVENTS)
    void onPaymentEvent(EventEnvelope<DomainEvent> envelope) {
        if (envelope.payload() instanceof PaymentDeclined declined) {
            paymentDeclined(envelope, declined);
        }
    }

    @KafkaListener(topics = Topics.SHIPPING_EVENTS)
    void onShippingEvent(EventEnvelope<DomainEvent> envelope) {
        if (envelope.payload() instanceof OrderShipped shipped) {
            orderShipped(envelope, shipped);
        } else if (envelope.payload() instanceof ShippingFailed failed) {
            shippingFailed(envelope, failed);
        }
    }

    private void orderPlaced(EventEnvelope<DomainEvent> envelope, OrderPlaced placed) {
        inbox.handleOnce("reserve-stock", envelope, e -> reservations.reserve(e, placed));
    }

    private void orderCancelled(EventEnvelope<DomainEvent> envelope, OrderCancelled cancelled) {
        inbox.handleOnce("remember-cancellation", envelope, e -> reservations.rememberCancellation(e,
                cancelled.orderId(), "order cancelled by " + cancelled.requestedBy() + ": " + cancelled.reason()));
    }

    private void paymentDeclined(EventEnvelope<DomainEvent> envelope, PaymentDeclined declined) {
        inbox.handleOnce("release-on-payment-declined", envelope, e -> reservations.release(e, declined.orderId(),
                "payment declined: " + declined.reason()));
    }

    private void shippingFailed(EventEnvelope<DomainEvent> envelope, ShippingFailed failed) {
        inbox.handleOnce("release-on-shipping-failed", envelope, e -> reservations.release(e, failed.orderId(),
                "shipping failed: " + failed.reason()));
    }

    private void orderShipped(EventEnvelope<DomainEvent> envelope, OrderShipped shipped) {
        inbox.handleOnce("ship-stock", envelope, e -> reservations.ship(e, shipped.orderId()));
    }
}
