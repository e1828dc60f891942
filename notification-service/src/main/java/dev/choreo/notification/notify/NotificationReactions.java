package dev.choreo.notification.notify;

import dev.choreo.events.DomainEvent;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import dev.choreo.events.inventory.InventoryRejected;
import dev.choreo.events.inventory.InventoryReleased;
import dev.choreo.events.notification.NotificationKind;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.shipping.OrderShipped;
import dev.choreo.messaging.inbox.IdempotentConsumer;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * What notification reacts to: the customer of each order on {@code order-events}, and the three ways an order
 * ends on {@code shipping-events} and {@code inventory-events}. Other events on these topics are ignored. Each
 * reaction runs once per event id, in one transaction with its state change and the events it publishes.
 */
@Component
class NotificationEventListener {

    private final IdempotentConsumer inbox;
    private final Notifier notifier;
    private final MessageTemplates templates;

    NotificationEventListener(IdempotentConsumer inbox, Notifier notifier, MessageTemplates templates) {
        this.inbox = inbox;
        this.notifier = notifier;
        this.templates = templates;
    }

    @KafkaListener(topics = Topics.ORDER_EVENTS)
    void onOrderEvent(EventEnvelope<DomainEvent> envelope) {
        if (envelope.payload() instanceof OrderPlaced placed) {
            orderPlaced(envelope, placed);
        }
    }

    @KafkaListener(topics = Topics.SHIPPING_EVENTS)
    void onShippingEvent(EventEnvelope<DomainEvent> envelope) {
        if (envelope.payload() instanceof OrderShipped shipped) {
            orderShipped(envelope, shipped);
        }
    }

    @KafkaListener(topics = Topics.INVENTORY_EVENTS)
    void onInventoryEvent(EventEnvelope<DomainEvent> envelope) {
        if (envelope.payload() instanceof InventoryRejected rejected) {
            inventoryRejected(envelope, rejected);
        } else if (envelope.payload() instanceof InventoryReleased released) {
            inventoryReleased(envelope, released);
        }
    }

    private void orderPlaced(EventEnvelope<DomainEvent> envelope, OrderPlaced placed) {
        inbox.handleOnce("notification.remember-customer", envelope, e -> notifier.customerKnown(placed));
    }

    private void orderShipped(EventEnvelope<DomainEvent> envelope, OrderShipped shipped) {
        inbox.handleOnce("notification.order-completed", envelope, e -> notifier.orderEnded(e, shipped.orderId(),
                NotificationKind.ORDER_COMPLETED, templates.completed(shipped)));
    }

    private void inventoryRejected(EventEnvelope<DomainEvent> envelope, InventoryRejected rejected) {
        inbox.handleOnce("notification.order-rejected", envelope, e -> notifier.orderEnded(e, rejected.orderId(),
                NotificationKind.ORDER_REJECTED, templates.rejected(rejected)));
    }

    private void inventoryReleased(EventEnvelope<DomainEvent> envelope, InventoryReleased released) {
        inbox.handleOnce("notification.order-cancelled", envelope, e -> notifier.orderEnded(e, released.orderId(),
                NotificationKind.ORDER_CANCELLED, templates.cancelled(released)));
    }
}
