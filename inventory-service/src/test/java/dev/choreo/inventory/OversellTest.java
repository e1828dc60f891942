package dev.choreo.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import dev.choreo.messaging.test.OrderEvents;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Concurrent orders for more units than are stocked: exactly the stock is sold, the rest is rejected. */
class OversellTest extends InventoryServiceTestSupport {

    /** The demo catalogue's small-stock product; no other test orders it. */
    private static final String SKU = "SKU-DOCK";
    private static final int ORDERS = 40;

    @Test
    void ordersSpreadOverEveryPartitionNeverOversell() {
        assertThat(stock(SKU)).extracting(ProductStock::available, ProductStock::stocked).containsExactly(5, 5);
        List<EventEnvelope<?>> orders = IntStream.range(0, ORDERS)
                .<EventEnvelope<?>>mapToObj(i -> OrderEvents.newOrder().placed(SKU, 1))
                .toList();
        assertThat(orders.stream().map(o -> partitionOf(o.key())).distinct().count())
                .as("partitions the orders are spread over").isGreaterThan(1);

        sendAndAwait(orders.toArray(EventEnvelope<?>[]::new));

        Set<String> orderIds = orders.stream().map(EventEnvelope::key).collect(Collectors.toSet());
        var outcomes = kafka.readAll(Topics.INVENTORY_EVENTS).stream()
                .filter(r -> orderIds.contains(r.key()))
                .collect(Collectors.groupingBy(InventoryServiceTestSupport::eventTypeOf, Collectors.counting()));
        assertThat(outcomes).containsOnly(entry("InventoryUpdated", 5L), entry("InventoryRejected", 35L));
        assertThat(stock(SKU)).extracting(ProductStock::available, ProductStock::reserved, ProductStock::shipped)
                .containsExactly(0, 5, 0);
        assertStockConserved(SKU);
        assertThat(jdbc.sql("SELECT status, count(*) FROM reservation WHERE order_id IN (:ids) GROUP BY status")
                .param("ids", orderIds)
                .query((rs, row) -> entry(rs.getString(1), rs.getLong(2))).list())
                .containsExactlyInAnyOrder(entry("RESERVED", 5L), entry("REJECTED", 35L));
    }

    private static Map.Entry<String, Long> entry(String key, long value) {
        return Map.entry(key, value);
    }
}
