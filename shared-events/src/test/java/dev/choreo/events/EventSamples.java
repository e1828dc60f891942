package dev.choreo.events;

import dev.choreo.events.catalogue.ProductCatalogued;
import dev.choreo.events.inventory.InventoryRejected;
import dev.choreo.events.inventory.InventoryReleased;
import dev.choreo.events.inventory.InventoryUpdated;
import dev.choreo.events.inventory.ReservedLine;
import dev.choreo.events.notification.CustomerNotified;
import dev.choreo.events.notification.NotificationKind;
import dev.choreo.events.operations.ProcessCancellationRequested;
import dev.choreo.events.order.OrderCancelled;
import dev.choreo.events.order.OrderLine;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.order.PaymentMethod;
import dev.choreo.events.order.ShippingAddress;
import dev.choreo.events.payment.OrderPayed;
import dev.choreo.events.payment.PaymentDeclined;
import dev.choreo.events.payment.PaymentRefunded;
import dev.choreo.events.shipping.OrderShipped;
import dev.choreo.events.shipping.ShippingFailed;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Object mother of events with fixed ids and times, so their wire format can be pinned. */
final class EventSamples {

    static final String ORDER_ID = "ord-0001";
    static final String CORRELATION_ID = "5b0e7a52-1c55-4e34-9a53-0c2c8e0f4a11";
    static final Instant AT = Instant.parse("2026-11-23T10:15:30.123Z");

    private EventSamples() {
    }

    static EventEnvelope<OrderPlaced> orderPlaced() {
        return envelope(new OrderPlaced(ORDER_ID, "c-42",
                List.of(new OrderLine("SKU-KEYBOARD", 2, new BigDecimal("49.90"))), new BigDecimal("99.80"), "EUR",
                new PaymentMethod("tok_visa"),
                new ShippingAddress("Ada Lovelace", "Main St 1", "Helsinki", "00100", "FI")), 1, null);
    }

    static List<EventEnvelope<?>> oneOfEachType() {
        List<ReservedLine> reserved = List.of(new ReservedLine("SKU-KEYBOARD", 2));
        BigDecimal amount = new BigDecimal("99.80");
        return List.of(
                orderPlaced(),
                envelope(new OrderCancelled(ORDER_ID, "customer changed their mind", "customer"), 2, 1),
                envelope(new InventoryUpdated(ORDER_ID, "res-1", reserved), 3, 1),
                envelope(new InventoryRejected(ORDER_ID, "out of stock", List.of("SKU-MONITOR")), 4, 1),
                envelope(new InventoryReleased(ORDER_ID, "payment declined", reserved), 5, 7),
                envelope(new OrderPayed(ORDER_ID, "pay-1", amount, "EUR", "4242"), 6, 3),
                envelope(new PaymentDeclined(ORDER_ID, "pay-1", amount, "EUR", "card declined"), 7, 3),
                envelope(new PaymentRefunded(ORDER_ID, "pay-1", amount, "EUR", "shipping failed"), 8, 10),
                envelope(new OrderShipped(ORDER_ID, "shp-1", "Posti", "TRK-1", "FI"), 9, 6),
                envelope(new ShippingFailed(ORDER_ID, "no carrier ships to AQ"), 10, 6),
                envelope(new CustomerNotified(ORDER_ID, "c-42", "ntf-1", NotificationKind.ORDER_COMPLETED, "email"), 11,
                        9),
                envelope(new ProcessCancellationRequested(ORDER_ID, "stuck at payment", "operator"), 12, null),
                new EventEnvelope<>(uuid(13), "ProductCatalogued", 1, "catalogue", null, AT, "inventory-service",
                        new ProductCatalogued("SKU-KEYBOARD", "Mechanical keyboard", new BigDecimal("49.90"), "EUR")));
    }

    static <E extends DomainEvent> EventEnvelope<E> envelope(E payload, int id, Integer causeId) {
        EventType type = EventCatalog.typeOf(payload.getClass());
        return new EventEnvelope<>(uuid(id), type.name(), type.schemaVersion(), CORRELATION_ID,
                causeId == null ? null : uuid(causeId), AT, type.producer(), payload);
    }

    static UUID uuid(int n) {
        return UUID.fromString(String.format("00000000-0000-4000-8000-%012d", n));
    }
}
