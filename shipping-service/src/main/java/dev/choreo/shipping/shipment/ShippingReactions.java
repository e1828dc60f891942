package dev.choreo.shipping.shipment;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.order.OrderCancelled;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.payment.OrderPayed;
import dev.choreo.messaging.inbox.EventHandler;
import org.springframework.stereotype.Component;

/**
 * What shipping reacts to: the address and cancellations on {@code order-events}, the go-ahead on
 * {@code payment-events}. Other events on these topics are none of shipping's business and are skipped. The
 * starter's inbox runs each reaction once per event id, in one transaction with its state change and the events it
 * publishes.
 */
@Component
class ShippingReactions {

    private final Shipping shipping;

    ShippingReactions(Shipping shipping) {
        this.shipping = shipping;
    }

    @EventHandler("shipping.store-address")
    void onOrderPlaced(EventEnvelope<?> envelope, OrderPlaced placed) {
        shipping.addressReceived(envelope, placed);
    }

    @EventHandler("shipping.remember-cancellation")
    void onOrderCancelled(EventEnvelope<?> envelope, OrderCancelled cancelled) {
        shipping.orderCancelled(envelope, cancelled);
    }

    @EventHandler("shipping.ship")
    void onOrderPayed(EventEnvelope<?> envelope, OrderPayed payed) {
        shipping.paymentReceived(envelope, payed);
    }
}
