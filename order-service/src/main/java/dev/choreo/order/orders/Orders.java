package dev.choreo.order.orders;

import static dev.choreo.messaging.jdbc.SqlTime.utc;
import static dev.choreo.messaging.jdbc.SqlTime.instant;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Texts;
import dev.choreo.events.order.OrderLine;
import dev.choreo.events.order.OrderPlaced;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The orders, their lines and their history, with explicit SQL. */
@Repository
public class Orders {

    private static final int MAX_DETAIL = 500;
    private static final String SUMMARY_COLUMNS = """
            order_id, correlation_id, customer_id, status, total, currency, cancellation_requested, created_at,
            updated_at""";

    private final JdbcClient jdbc;

    Orders(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The order with its lines and history, read consistently in one transaction. */
    @Transactional(readOnly = true)
    public Optional<OrderView> find(String orderId) {
        return jdbc.sql("SELECT * FROM customer_order WHERE order_id = ?").param(orderId)
                .query((rs, row) -> toView(rs))
                .optional()
                .map(order -> order.with(lines(orderId), history(orderId)));
    }

    /** The newest orders first, optionally only those in {@code status} and only those of {@code customerId}. */
    public List<OrderSummary> list(Optional<OrderStatus> status, Optional<String> customerId, int limit) {
        List<String> conditions = new ArrayList<>();
        status.ifPresent(s -> conditions.add("status = :status"));
        customerId.ifPresent(c -> conditions.add("customer_id = :customerId"));
        JdbcClient.StatementSpec query = jdbc.sql("SELECT " + SUMMARY_COLUMNS + " FROM customer_order"
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY created_at DESC, order_id LIMIT :limit");
        if (status.isPresent()) {
            query = query.param("status", status.get().name());
        }
        if (customerId.isPresent()) {
            query = query.param("customerId", customerId.get());
        }
        return query.param("limit", limit).query((rs, row) -> new OrderSummary(rs.getString("order_id"),
                rs.getString("correlation_id"), rs.getString("customer_id"), OrderStatus.valueOf(rs.getString("status")),
                rs.getBigDecimal("total"), rs.getString("currency"), rs.getBoolean("cancellation_requested"),
                instant(rs, "created_at"), instant(rs, "updated_at"))).list();
    }

    void insert(EventEnvelope<OrderPlaced> placed, Map<String, String> productNames) {
        OrderPlaced order = placed.payload();
        OffsetDateTime at = utc(placed.occurredAt());
        var address = order.shippingAddress();
        jdbc.sql("""
                INSERT INTO customer_order (order_id, correlation_id, customer_id, status, total, currency,
                    payment_token, ship_name, ship_street, ship_city, ship_postal_code, ship_country, created_at,
                    updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(order.orderId(), placed.correlationId(), order.customerId(), OrderStatus.PLACED.name(),
                        order.total(), order.currency(), order.payment().token(), address.name(), address.street(),
                        address.city(), address.postalCode(), address.country(), at, at)
                .update();
        int lineNo = 0;
        for (OrderLine line : order.lines()) {
            jdbc.sql("""
                    INSERT INTO order_line (order_id, line_no, sku, name, quantity, unit_price)
                    VALUES (?, ?, ?, ?, ?, ?)""")
                    .params(order.orderId(), ++lineNo, line.sku(), productNames.get(line.sku()), line.quantity(),
                            line.unitPrice())
                    .update();
        }
    }

    /** Locks the order's row for the rest of the transaction, so its status changes one event at a time. */
    Optional<Locked> lock(String orderId) {
        return jdbc.sql("""
                SELECT status, correlation_id, cancellation_requested FROM customer_order WHERE order_id = ?
                FOR UPDATE""")
                .param(orderId)
                .query((rs, row) -> new Locked(orderId, OrderStatus.valueOf(rs.getString("status")),
                        rs.getString("correlation_id"), rs.getBoolean("cancellation_requested")))
                .optional();
    }

    void updateStatus(String orderId, OrderStatus status, Instant at) {
        jdbc.sql("UPDATE customer_order SET status = ?, updated_at = ? WHERE order_id = ?")
                .params(status.name(), utc(at), orderId)
                .update();
    }

    void markCancellationRequested(String orderId, String reason, String requestedBy, Instant at) {
        jdbc.sql("""
                UPDATE customer_order SET cancellation_requested = TRUE, cancellation_reason = ?,
                    cancellation_requested_by = ?, cancellation_requested_at = ?, updated_at = ?
                WHERE order_id = ?""")
                .params(reason, requestedBy, utc(at), utc(at), orderId)
                .update();
    }

    /**
     * Records an event in the order's history, once per event id.
     *
     * @return {@code false} if the event was already recorded
     */
    boolean appendHistory(String orderId, EventEnvelope<?> event, OrderStatus statusAfter, String detail,
            Instant recordedAt) {
        return jdbc.sql("""
                INSERT INTO order_history (order_id, event_id, event_type, occurred_at, recorded_at, status, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""")
                .params(orderId, event.eventId(), event.eventType(), utc(event.occurredAt()), utc(recordedAt),
                        statusAfter.name(), Texts.abbreviate(detail, MAX_DETAIL))
                .update() > 0;
    }

    /** The order's row as a status change or cancellation sees it, locked. */
    record Locked(String orderId, OrderStatus status, String correlationId, boolean cancellationRequested) {
    }

    private List<OrderView.Line> lines(String orderId) {
        return jdbc.sql("""
                SELECT sku, name, quantity, unit_price, unit_price * quantity AS line_total
                FROM order_line WHERE order_id = ? ORDER BY line_no""")
                .param(orderId)
                .query((rs, row) -> new OrderView.Line(rs.getString("sku"), rs.getString("name"),
                        rs.getInt("quantity"), rs.getBigDecimal("unit_price"), rs.getBigDecimal("line_total")))
                .list();
    }

    private List<OrderView.HistoryEntry> history(String orderId) {
        return jdbc.sql("""
                SELECT event_id, event_type, occurred_at, recorded_at, status, detail
                FROM order_history WHERE order_id = ? ORDER BY id""")
                .param(orderId)
                .query((rs, row) -> new OrderView.HistoryEntry(rs.getObject("event_id", UUID.class),
                        rs.getString("event_type"), instant(rs, "occurred_at"), instant(rs, "recorded_at"),
                        OrderStatus.valueOf(rs.getString("status")), rs.getString("detail")))
                .list();
    }

    /** The order's row; its lines and history are read after it (one query at a time on the connection). */
    private static OrderView toView(ResultSet rs) throws SQLException {
        OrderView.Cancellation cancellation = rs.getBoolean("cancellation_requested")
                ? new OrderView.Cancellation(rs.getString("cancellation_reason"),
                        rs.getString("cancellation_requested_by"), instant(rs, "cancellation_requested_at"))
                : null;
        return new OrderView(rs.getString("order_id"), rs.getString("correlation_id"), rs.getString("customer_id"),
                OrderStatus.valueOf(rs.getString("status")), List.of(), rs.getBigDecimal("total"),
                rs.getString("currency"), new OrderView.Payment(rs.getString("payment_token")),
                new OrderView.Address(rs.getString("ship_name"), rs.getString("ship_street"), rs.getString("ship_city"),
                        rs.getString("ship_postal_code"), rs.getString("ship_country")),
                cancellation, instant(rs, "created_at"), instant(rs, "updated_at"), List.of());
    }
}
