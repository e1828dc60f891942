package dev.choreo.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.payment.PaymentDeclined;
import dev.choreo.events.shipping.OrderShipped;
import dev.choreo.messaging.test.OrderEvents;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Exact duplicates (same event id, same bytes, sent three times with a raw producer) take effect once. */
class DuplicateDeliveryTest extends InventoryServiceTestSupport {

    @Test
    void aDuplicatedOrderReservesOnceAndADuplicatedDeclineReleasesOnce() {
        String sku = givenProduct(10);
        OrderEvents order = OrderEvents.newOrder();
        EventEnvelope<?> placed = order.placed(sku, 3);

        sendAndAwait(placed, placed, placed);

        assertThat(inventoryEventTypesOf(order.orderId())).containsExactly("InventoryUpdated");
        assertThat(stock(sku)).extracting(ProductStock::available, ProductStock::reserved).containsExactly(7, 3);
        assertThat(handled("reserve-stock", placed)).isOne();

        EventEnvelope<?> declined = order.next(new PaymentDeclined(order.orderId(), "pay-1", new BigDecimal("30.00"),
                "EUR", "card declined"));
        sendAndAwait(declined, declined, declined);

        assertThat(inventoryEventTypesOf(order.orderId())).containsExactly("InventoryUpdated", "InventoryReleased");
        assertThat(stock(sku)).extracting(ProductStock::available, ProductStock::reserved).containsExactly(10, 0);
        assertThat(handled("release-on-payment-declined", declined)).isOne();
        assertStockConserved(sku);
    }

    @Test
    void aDuplicatedShipmentShipsOnce() {
        String sku = givenProduct(10);
        OrderEvents order = OrderEvents.newOrder();
        sendAndAwait(order.placed(sku, 2));
        EventEnvelope<?> shipped = order.next(new OrderShipped(order.orderId(), "shp-1", "DHL", "TRACK-1", "FI"));

        sendAndAwait(shipped, shipped, shipped);

        assertThat(stock(sku)).extracting(ProductStock::available, ProductStock::reserved, ProductStock::shipped)
                .containsExactly(8, 0, 2);
        assertThat(handled("ship-stock", shipped)).isOne();
        assertStockConserved(sku);
    }

    private long handled(String consumer, EventEnvelope<?> envelope) {
        return jdbc.sql("SELECT count(*) FROM processed_event WHERE consumer = ? AND event_id = ?")
                .params(consumer, envelope.eventId()).query(Long.class).single();
    }
}
