package dev.choreo.events;

import dev.choreo.events.catalogue.ProductCatalogued;
import dev.choreo.events.inventory.InventoryRejected;
import dev.choreo.events.inventory.InventoryReleased;
import dev.choreo.events.inventory.InventoryUpdated;
import dev.choreo.events.notification.CustomerNotified;
import dev.choreo.events.operations.ProcessCancellationRequested;
import dev.choreo.events.order.OrderCancelled;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.payment.OrderPayed;
import dev.choreo.events.payment.PaymentDeclined;
import dev.choreo.events.payment.PaymentRefunded;
import dev.choreo.events.shipping.OrderShipped;
import dev.choreo.events.shipping.ShippingFailed;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The event catalogue: every event type with its wire name, schema version, topic and producer. A breaking
 * change to a payload adds an entry with the next schema version (and a new record type) beside the old one,
 * so consumers read both side by side. One exception: a version that carried data that must not travel at all is
 * retired instead, so that no consumer reads it any more: {@code OrderPlaced} v1 carried the card number, v2
 * carries the payment provider's token (issue 15). A v1 record is refused as an unsupported schema version and
 * dead-lettered; upgrade with no v1 record left unread on {@code order-events}.
 */
public final class EventCatalog {

    public static final String ORDER_SERVICE = "order-service";
    public static final String INVENTORY_SERVICE = "inventory-service";
    public static final String PAYMENT_SERVICE = "payment-service";
    public static final String SHIPPING_SERVICE = "shipping-service";
    public static final String NOTIFICATION_SERVICE = "notification-service";
    public static final String TRACING_COLLECTOR = "tracing-collector";

    private static final List<EventType> TYPES = List.of(
            type(OrderPlaced.class, 2, Topics.ORDER_EVENTS, ORDER_SERVICE),
            type(OrderCancelled.class, Topics.ORDER_EVENTS, ORDER_SERVICE),
            type(InventoryUpdated.class, Topics.INVENTORY_EVENTS, INVENTORY_SERVICE),
            type(InventoryRejected.class, Topics.INVENTORY_EVENTS, INVENTORY_SERVICE),
            type(InventoryReleased.class, Topics.INVENTORY_EVENTS, INVENTORY_SERVICE),
            type(OrderPayed.class, Topics.PAYMENT_EVENTS, PAYMENT_SERVICE),
            type(PaymentDeclined.class, Topics.PAYMENT_EVENTS, PAYMENT_SERVICE),
            type(PaymentRefunded.class, Topics.PAYMENT_EVENTS, PAYMENT_SERVICE),
            type(OrderShipped.class, Topics.SHIPPING_EVENTS, SHIPPING_SERVICE),
            type(ShippingFailed.class, Topics.SHIPPING_EVENTS, SHIPPING_SERVICE),
            type(CustomerNotified.class, Topics.NOTIFICATION_EVENTS, NOTIFICATION_SERVICE),
            type(ProcessCancellationRequested.class, Topics.OPERATIONS_EVENTS, TRACING_COLLECTOR),
            type(ProductCatalogued.class, Topics.PRODUCT_CATALOGUE, INVENTORY_SERVICE));

    private static final Map<Class<?>, EventType> BY_CLASS = TYPES.stream()
            .collect(Collectors.toUnmodifiableMap(EventType::javaType, Function.identity()));

    private static final Map<String, EventType> BY_NAME_AND_VERSION = TYPES.stream()
            .collect(Collectors.toUnmodifiableMap(t -> t.name() + "/v" + t.schemaVersion(), Function.identity()));

    private EventCatalog() {
    }

    public static List<EventType> all() {
        return TYPES;
    }

    public static EventType typeOf(Class<?> payloadType) {
        EventType type = BY_CLASS.get(payloadType);
        if (type == null) {
            throw new IllegalArgumentException(payloadType.getName() + " is not in the event catalogue");
        }
        return type;
    }

    public static Optional<EventType> find(String name, int schemaVersion) {
        return Optional.ofNullable(BY_NAME_AND_VERSION.get(name + "/v" + schemaVersion));
    }

    public static boolean isKnownName(String name) {
        return TYPES.stream().anyMatch(t -> t.name().equals(name));
    }

    private static EventType type(Class<? extends DomainEvent> javaType, String topic, String producer) {
        return type(javaType, 1, topic, producer);
    }

    private static EventType type(Class<? extends DomainEvent> javaType, int schemaVersion, String topic,
            String producer) {
        return new EventType(javaType.getSimpleName(), schemaVersion, javaType, topic, producer);
    }
}
