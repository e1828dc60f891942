package dev.choreo.inventory.reservation;

import static dev.choreo.messaging.jdbc.SqlTime.utc;
import static dev.choreo.messaging.jdbc.SqlTime.instant;

import dev.choreo.events.Limits;
import dev.choreo.events.Texts;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The reservations, one per order, with their lines. */
@Repository
class ReservationRepository {

    private static final String SELECT_RESERVATION = """
            SELECT order_id, reservation_id, status, reason, correlation_id, created_at, updated_at
            FROM reservation WHERE order_id = ?""";


    private final JdbcClient jdbc;

    ReservationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Reservation> find(String orderId) {
        return find(SELECT_RESERVATION, orderId);
    }

    /**
     * The order's reservation, its row locked until the transaction ends, so that the events of one order that
     * arrive on different topics at once (a cancellation and a declined payment) change it one after the other.
     */
    Optional<Reservation> findForUpdate(String orderId) {
        return find(SELECT_RESERVATION + " FOR UPDATE", orderId);
    }

    void insert(Reservation reservation) {
        jdbc.sql("""
                INSERT INTO reservation (order_id, reservation_id, status, reason, correlation_id, created_at,
                                         updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(reservation.orderId(), reservation.reservationId(), reservation.status().name(),
                        Texts.abbreviate(reservation.reason(), Limits.REASON), reservation.correlationId(),
                        utc(reservation.createdAt()), utc(reservation.updatedAt()))
                .update();
        for (Reservation.Line line : reservation.lines()) {
            jdbc.sql("INSERT INTO reservation_line (order_id, sku, quantity, unavailable) VALUES (?, ?, ?, ?)")
                    .params(reservation.orderId(), line.sku(), line.quantity(), line.unavailable())
                    .update();
        }
    }

    void updateStatus(String orderId, ReservationStatus status, String reason, Instant at) {
        jdbc.sql("UPDATE reservation SET status = ?, reason = ?, updated_at = ? WHERE order_id = ?")
                .params(status.name(), Texts.abbreviate(reason, Limits.REASON), utc(at), orderId)
                .update();
    }

    private Optional<Reservation> find(String sql, String orderId) {
        return jdbc.sql(sql).param(orderId).query((rs, row) -> header(rs)).optional()
                .map(header -> header.withLines(lines(orderId)));
    }

    private List<Reservation.Line> lines(String orderId) {
        return jdbc.sql("SELECT sku, quantity, unavailable FROM reservation_line WHERE order_id = ? ORDER BY sku")
                .param(orderId)
                .query((rs, row) -> new Reservation.Line(rs.getString("sku"), rs.getLong("quantity"),
                        rs.getBoolean("unavailable")))
                .list();
    }

    private static Reservation header(ResultSet rs) throws SQLException {
        return new Reservation(rs.getString("order_id"), rs.getObject("reservation_id", UUID.class),
                ReservationStatus.valueOf(rs.getString("status")), rs.getString("reason"),
                rs.getString("correlation_id"), instant(rs, "created_at"),
                instant(rs, "updated_at"), List.of());
    }
}
