package dev.choreo.notification.notify;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.inventory.InventoryRejected;
import dev.choreo.events.inventory.InventoryReleased;
import dev.choreo.events.notification.NotificationKind;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.shipping.OrderShipped;
import dev.choreo.messaging.inbox.EventHandler;
import org.springframework.stereotype.Component;

/**
 * What notification reacts to: the customer of each order on {@code order-events}, and the three ways an order
 * ends on {@code shipping-events} and {@code inventory-events}. Other events on these topics are skipped. The
 * starter's inbox runs each reaction once per event id, in one transaction with its state change and the events it
 * publishes.
 */
@Component
class NotificationReactions {

    private final Notifier notifier;
    private final MessageTemplates templates;

    NotificationReactions(Notifier notifier, MessageTemplates templates) {
        this.notifier = notifier;
        this.templates = templates;
    }

    @EventHandler("notification.remember-customer")
    void onOrderPlaced(EventEnvelope<?> envelope, OrderPlaced placed) {
        notifier.customerKnown(placed);
    }

    @EventHandler("notification.order-completed")
    void onOrderShipped(EventEnvelope<?> envelope, OrderShipped shipped) {
        notifier.orderEnded(envelope, shipped.orderId(), NotificationKind.ORDER_COMPLETED,
                templates.completed(shipped));
    }

    @EventHandler("notification.order-rejected")
    void onInventoryRejected(EventEnvelope<?> envelope, InventoryRejected rejected) {
        notifier.orderEnded(envelope, rejected.orderId(), NotificationKind.ORDER_REJECTED,
                templates.rejected(rejected));
    }

    @EventHandler("notification.order-cancelled")
    void onInventoryReleased(EventEnvelope<?> envelope, InventoryReleased released) {
        notifier.orderEnded(envelope, released.orderId(), NotificationKind.ORDER_CANCELLED,
                templates.cancelled(released));
    }
}
