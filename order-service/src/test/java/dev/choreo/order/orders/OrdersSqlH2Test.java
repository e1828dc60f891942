package dev.choreo.order.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.inventory.InventoryUpdated;
import dev.choreo.events.inventory.ReservedLine;
import dev.choreo.events.order.OrderLine;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.order.PaymentMethod;
import dev.choreo.events.order.ShippingAddress;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The local run keeps orders in H2 in PostgreSQL mode: the migrations and every statement of {@link Orders} must
 * work there too, not only on the PostgreSQL the integration tests use.
 */
class OrdersSqlH2Test {

    private static final Clock CLOCK = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1000));

    private Orders orders;

    @BeforeEach
    void migrate() {
        var h2 = new SingleConnectionDataSource("jdbc:h2:mem:orders-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", "", true);
        Flyway.configure().dataSource(h2)
                .locations("filesystem:src/main/resources/db/migration", "classpath:db/messaging")
                .load().migrate();
        orders = new Orders(JdbcClient.create(h2));
    }

    @Test
    void storesAnOrderWithItsLinesAndHistory() {
        EventEnvelope<OrderPlaced> placed = placed("ord-1");
        orders.insert(placed, Map.of("SKU-A", "Coffee", "SKU-B", "Tea"));
        assertThat(orders.appendHistory("ord-1", placed, OrderStatus.PLACED, "placed", CLOCK.instant())).isTrue();

        EventEnvelope<InventoryUpdated> reserved = placed.reactWith(new InventoryUpdated("ord-1", "res-1",
                List.of(new ReservedLine("SKU-A", 2))), "inventory-service", CLOCK);
        assertThat(orders.lock("ord-1")).contains(new Orders.Locked("ord-1", OrderStatus.PLACED,
                placed.correlationId(), false));
        assertThat(orders.appendHistory("ord-1", reserved, OrderStatus.RESERVED, "x".repeat(600), CLOCK.instant()))
                .isTrue();
        assertThat(orders.appendHistory("ord-1", reserved, OrderStatus.RESERVED, "again", CLOCK.instant()))
                .as("once per event").isFalse();
        orders.updateStatus("ord-1", OrderStatus.RESERVED, CLOCK.instant());
        orders.markCancellationRequested("ord-1", "r".repeat(300), "operator:alice", CLOCK.instant());

        OrderView order = orders.find("ord-1").orElseThrow();
        assertThat(order.status()).isEqualTo(OrderStatus.RESERVED);
        assertThat(order.correlationId()).isEqualTo(placed.correlationId());
        assertThat(order.createdAt()).isEqualTo(placed.occurredAt().truncatedTo(ChronoUnit.MICROS));
        assertThat(order.lines()).containsExactly(
                new OrderView.Line("SKU-A", "Coffee", 2, new BigDecimal("12.50"), new BigDecimal("25.00")),
                new OrderView.Line("SKU-B", "Tea", 3, new BigDecimal("3.20"), new BigDecimal("9.60")));
        assertThat(order.total()).isEqualByComparingTo("34.60");
        assertThat(order.payment().token()).isEqualTo("tok_visa");
        assertThat(order.shippingAddress().country()).isEqualTo("FI");
        assertThat(order.history()).extracting(OrderView.HistoryEntry::eventType)
                .containsExactly("OrderPlaced", "InventoryUpdated");
        assertThat(order.history().get(1).detail()).hasSize(500).endsWith("…");
        assertThat(order.history().get(1).eventId()).isEqualTo(reserved.eventId());
        assertThat(order.cancellation().reason()).hasSize(300);
        assertThat(order.cancellation().requestedBy()).isEqualTo("operator:alice");
        assertThat(orders.find("ord-2")).isEmpty();
        assertThat(orders.lock("ord-2")).isEmpty();
    }

    @Test
    void listsTheNewestFirstByStatus() {
        orders.insert(placed("ord-old"), Map.of("SKU-A", "Coffee", "SKU-B", "Tea"));
        orders.insert(placed("ord-new"), Map.of("SKU-A", "Coffee", "SKU-B", "Tea"));
        orders.updateStatus("ord-old", OrderStatus.COMPLETED, CLOCK.instant());

        assertThat(orders.list(Optional.empty(), Optional.empty(), 10)).extracting(OrderSummary::orderId)
                .containsExactly("ord-new", "ord-old");
        assertThat(orders.list(Optional.empty(), Optional.empty(), 1)).extracting(OrderSummary::orderId).containsExactly("ord-new");
        assertThat(orders.list(Optional.of(OrderStatus.COMPLETED), Optional.empty(), 10)).extracting(OrderSummary::orderId)
                .containsExactly("ord-old");
    }

    @Test
    void listsOneCustomersOrders() {
        orders.insert(placed("ord-of-42"), Map.of("SKU-A", "Coffee", "SKU-B", "Tea"));
        orders.insert(placed("ord-of-7", "c-7"), Map.of("SKU-A", "Coffee", "SKU-B", "Tea"));
        orders.updateStatus("ord-of-7", OrderStatus.COMPLETED, CLOCK.instant());

        assertThat(orders.list(Optional.empty(), Optional.of("c-7"), 10)).extracting(OrderSummary::orderId)
                .containsExactly("ord-of-7");
        assertThat(orders.list(Optional.of(OrderStatus.PLACED), Optional.of("c-7"), 10)).isEmpty();
        assertThat(orders.list(Optional.empty(), Optional.of("c-nobody"), 10)).isEmpty();
    }

    private static EventEnvelope<OrderPlaced> placed(String orderId) {
        return placed(orderId, "c-42");
    }

    private static EventEnvelope<OrderPlaced> placed(String orderId, String customerId) {
        return EventEnvelope.startProcess(new OrderPlaced(orderId, customerId, List.of(
                        new OrderLine("SKU-A", 2, new BigDecimal("12.50")),
                        new OrderLine("SKU-B", 3, new BigDecimal("3.20"))), new BigDecimal("34.60"), "EUR",
                new PaymentMethod("tok_visa"),
                new ShippingAddress("Ada Lovelace", "Main St 1", "Helsinki", "00100", "FI")), "order-service", CLOCK);
    }
}
