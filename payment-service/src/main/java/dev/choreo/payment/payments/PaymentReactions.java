package dev.choreo.payment.payments;

import dev.choreo.events.DomainEvent;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import dev.choreo.events.inventory.InventoryUpdated;
import dev.choreo.events.order.OrderCancelled;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.shipping.ShippingFailed;
import dev.choreo.messaging.inbox.IdempotentConsumer;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The events payment-service reacts to, one listener per topic, one method per event. Each reaction runs once per
 * event id (a redelivery or duplicate is skipped) in one transaction with its state change and published events.
 * Other events on these topics are none of payment's business and are ignored.
 */
@Component
class PaymentEventListener {

    private final IdempotentConsumer inbox;
    private final Payments payments;

    PaymentEventListener(IdempotentConsumer inbox, Payments payments) {
        this.inbox = inbox;
        this.payments = payments;
    }

    @KafkaListener(topics = Topics.ORDER_EVENTS)
    void onOrderEvent(EventEnvelope<DomainEvent> envelope) {
        if (envelope.payload() instanceof OrderPlaced placed) {
            onOrderPlaced(envelope, placed);
        } else if (envelope.payload() instanceof OrderCancelled cancelled) {
            onOrderCancelled(envelope, cancelled);
        }
    }

    @KafkaListener(topics = Topics.INVENTORY_EVENTS)
    void onInventoryEvent(EventEnvelope<DomainEvent> envelope) {
        if (envelope.payload() instanceof InventoryUpdated reserved) {
            onInventoryUpdated(envelope, reserved);
        }
    }

    @KafkaListener(topics = Topics.SHIPPING_EVENTS)
    void onShippingEvent(EventEnvelope<DomainEvent> envelope) {
        if (envelope.payload() instanceof ShippingFailed failed) {
            onShippingFailed(envelope, failed);
        }
    }

    private void onOrderPlaced(EventEnvelope<DomainEvent> envelope, OrderPlaced placed) {
        inbox.handleOnce("record-order", envelope, e -> payments.recordOrder(e, placed));
    }

    private void onOrderCancelled(EventEnvelope<DomainEvent> envelope, OrderCancelled cancelled) {
        inbox.handleOnce("cancel", envelope, e -> payments.cancel(e, cancelled));
    }

    private void onInventoryUpdated(EventEnvelope<DomainEvent> envelope, InventoryUpdated reserved) {
        inbox.handleOnce("charge", envelope, e -> payments.chargeReservedOrder(e, reserved));
    }

    private void onShippingFailed(EventEnvelope<DomainEvent> envelope, ShippingFailed failed) {
        inbox.handleOnce("refund-failed-shipment", envelope, e -> payments.refundFailedShipment(e, failed));
    }
}
