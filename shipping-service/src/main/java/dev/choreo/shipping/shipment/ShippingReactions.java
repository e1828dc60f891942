package dev.choreo.shipping.shipment;

import dev.choreo.events.DomainEvent;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import dev.choreo.events.order.OrderCancelled;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.payment.OrderPayed;
import dev.choreo.messaging.inbox.IdempotentConsumer;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * What shipping reacts to: the address and cancellations on {@code order-events}, the go-ahead on
 * {@code payment-events}. Other events on these topics are none of shipping's business. Each reaction runs once
 * per event id, in one transaction with its state change and the events it publishes.
 */
@Component
class ShippingEventListener {

    private final IdempotentConsumer inbox;
    private final Shipping shipping;

    ShippingEventListener(IdempotentConsumer inbox, Shipping shipping) {
        this.inbox = inbox;
        this.shipping = shipping;
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
        if (envelope.payload() instanceof OrderPayed payed) {
            orderPayed(envelope, payed);
        }
    }

    private void orderPlaced(EventEnvelope<DomainEvent> envelope, OrderPlaced placed) {
        inbox.handleOnce("shipping.store-address", envelope, e -> shipping.addressReceived(e, placed));
    }

    private void orderCancelled(EventEnvelope<DomainEvent> envelope, OrderCancelled cancelled) {
        inbox.handleOnce("shipping.remember-cancellation", envelope, e -> shipping.orderCancelled(e, cancelled));
    }

    private void orderPayed(EventEnvelope<DomainEvent> envelope, OrderPayed payed) {
        inbox.handleOnce("shipping.ship", envelope, e -> shipping.paymentReceived(e, payed));
    }
}
