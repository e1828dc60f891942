package dev.choreo.shipping.shipment;

import static dev.choreo.messaging.jdbc.SqlTime.utc;
import static dev.choreo.messaging.jdbc.SqlTime.instant;

import dev.choreo.events.order.ShippingAddress;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Shipments in the {@code shipment} table, one row per order, with explicit SQL. */
@Repository
class ShipmentRepository {

    private static final String COLUMNS = """
            order_id, status, recipient_name, street, city, postal_code, country, payment_id, payment_event_id,
            shipment_id, carrier, tracking_number, failure_reason, cancellation_reason, created_at, updated_at""";

    private final JdbcClient jdbc;

    ShipmentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores the first fact about an order, unless a row for it exists already. A concurrent handler of the same
     * order that inserted first makes this one wait for its commit and then insert nothing; the caller goes on
     * with {@link #lock}, so the two handlers of a join are serialised on the row and neither misses the other.
     *
     * ({@code ON CONFLICT DO NOTHING} without a conflict target: the form H2 also understands in PostgreSQL mode.)
     *
     * @return {@code true} if the row was created, {@code false} if one existed
     */
    boolean insertIfAbsent(Shipment s) {
        return jdbc.sql("INSERT INTO shipment (" + COLUMNS + ") VALUES ("
                + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(parameters(s))
                .update() == 1;
    }

    /** The order's shipment, locked until the end of the transaction. */
    Shipment lock(String orderId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM shipment WHERE order_id = ? FOR UPDATE")
                .param(orderId)
                .query(ShipmentRepository::map)
                .optional()
                .orElseThrow(() -> new IllegalStateException("shipment of order " + orderId + " vanished"));
    }

    void update(Shipment s) {
        ShippingAddress a = s.address();
        jdbc.sql("""
                UPDATE shipment SET status = ?, recipient_name = ?, street = ?, city = ?, postal_code = ?, country = ?,
                    payment_id = ?, payment_event_id = ?, shipment_id = ?, carrier = ?, tracking_number = ?,
                    failure_reason = ?, cancellation_reason = ?, updated_at = ?
                WHERE order_id = ?""")
                .params(s.status().name(), a == null ? null : a.name(), a == null ? null : a.street(),
                        a == null ? null : a.city(), a == null ? null : a.postalCode(),
                        a == null ? null : a.country(), s.paymentId(), s.paymentEventId(), s.shipmentId(),
                        s.carrier(), s.trackingNumber(), s.failureReason(), s.cancellationReason(),
                        utc(s.updatedAt()), s.orderId())
                .update();
    }

    Optional<Shipment> find(String orderId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM shipment WHERE order_id = ?")
                .param(orderId)
                .query(ShipmentRepository::map)
                .optional();
    }

    /** The most recently changed shipments first. */
    List<Shipment> latest(int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM shipment ORDER BY updated_at DESC, order_id LIMIT ?")
                .param(limit)
                .query(ShipmentRepository::map)
                .list();
    }

    private static Object[] parameters(Shipment s) {
        ShippingAddress a = s.address();
        return new Object[] {s.orderId(), s.status().name(), a == null ? null : a.name(),
            a == null ? null : a.street(), a == null ? null : a.city(), a == null ? null : a.postalCode(),
            a == null ? null : a.country(), s.paymentId(), s.paymentEventId(), s.shipmentId(), s.carrier(),
            s.trackingNumber(), s.failureReason(), s.cancellationReason(), utc(s.createdAt()),
            utc(s.updatedAt())};
    }

    private static Shipment map(ResultSet rs, int row) throws SQLException {
        String name = rs.getString("recipient_name");
        ShippingAddress address = name == null ? null : new ShippingAddress(name, rs.getString("street"),
                rs.getString("city"), rs.getString("postal_code"), rs.getString("country"));
        return new Shipment(
                rs.getString("order_id"),
                ShipmentStatus.valueOf(rs.getString("status")),
                address,
                rs.getString("payment_id"),
                rs.getObject("payment_event_id", UUID.class),
                rs.getString("shipment_id"),
                rs.getString("carrier"),
                rs.getString("tracking_number"),
                rs.getString("failure_reason"),
                rs.getString("cancellation_reason"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }
}
