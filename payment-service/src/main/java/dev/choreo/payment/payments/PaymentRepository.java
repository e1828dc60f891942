package dev.choreo.payment.payments;

import static dev.choreo.messaging.jdbc.SqlTime.instant;
import static dev.choreo.messaging.jdbc.SqlTime.utc;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The payments table. Every change is a guarded transition ({@code WHERE status = ...}) and runs inside the
 * transaction of the event that causes it, or of the gateway's answer; {@link #lockOrCreate} serialises the handlers
 * of one order, whichever topics their events came from.
 */
@Repository
class PaymentRepository {

    private static final String COLUMNS = """
            order_id, payment_id, status, customer_id, amount, currency, card_last4, charge_reference, reason,
            order_placed_at, go_ahead_at, created_at, updated_at, charged_at, declined_at, refunded_at, cancelled_at,
            correlation_id, gateway_cause_event_id, gateway_traceparent""";

    private final JdbcClient jdbc;

    PaymentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The order's payment, locked until the transaction ends; a new PENDING one if the order is new here. Two
     * handlers of the same order (say OrderPlaced and InventoryUpdated, read from different topics at the same
     * time) thus see each other's changes: the join cannot be missed.
     */
    Payment lockOrCreate(String orderId, Instant now) {
        // a concurrent insert of the same order waits here for the other transaction, then inserts nothing
        jdbc.sql("""
                INSERT INTO payment (order_id, payment_id, status, created_at, updated_at)
                VALUES (?, ?, 'PENDING', ?, ?)
                ON CONFLICT DO NOTHING""")
                .params(orderId, newPaymentId(), utc(now), utc(now))
                .update();
        return findForUpdate(orderId).orElseThrow();
    }

    Optional<Payment> findForUpdate(String orderId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM payment WHERE order_id = ? FOR UPDATE")
                .param(orderId)
                .query(PaymentRepository::payment)
                .optional();
    }

    Optional<Payment> find(String orderId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM payment WHERE order_id = ?")
                .param(orderId)
                .query(PaymentRepository::payment)
                .optional();
    }

    /** The newest payments first; all of them, or only those in {@code status} if it is not null. */
    List<Payment> findNewest(PaymentStatus status, int limit) {
        var query = status == null
                ? jdbc.sql("SELECT " + COLUMNS + " FROM payment ORDER BY created_at DESC, order_id LIMIT ?")
                        .param(limit)
                : jdbc.sql("SELECT " + COLUMNS + " FROM payment WHERE status = ? ORDER BY created_at DESC, order_id LIMIT ?")
                        .params(status.name(), limit);
        return query.query(PaymentRepository::payment).list();
    }

    /** The order's facts from OrderPlaced; {@code paymentToken} is null when nothing will be charged. */
    void recordOrder(String orderId, String customerId, BigDecimal amount, String currency, String paymentToken,
            Instant now) {
        expectOne(jdbc.sql("""
                UPDATE payment SET customer_id = ?, amount = ?, currency = ?, payment_token = ?,
                    order_placed_at = ?, updated_at = ?
                WHERE order_id = ? AND order_placed_at IS NULL""")
                .params(customerId, amount, currency, paymentToken, utc(now), utc(now), orderId)
                .update(), orderId, "record the order");
    }

    void recordGoAhead(String orderId, Instant now) {
        expectOne(jdbc.sql("""
                UPDATE payment SET go_ahead_at = ?, updated_at = ?
                WHERE order_id = ? AND status = 'PENDING' AND go_ahead_at IS NULL""")
                .params(utc(now), utc(now), orderId)
                .update(), orderId, "record the go-ahead");
    }

    /** The payment provider's token to charge: only a payment waiting for its charge still holds it. */
    Optional<String> paymentToken(String orderId) {
        return jdbc.sql("SELECT payment_token FROM payment WHERE order_id = ? AND status = 'CHARGING'")
                .param(orderId)
                .query(String.class)
                .optional();
    }

    /** The charge is decided; the gateway is called after the commit, its answer reacts to {@code cause}. */
    void markCharging(String orderId, String correlationId, UUID cause, String traceparent, Instant now) {
        expectOne(jdbc.sql("""
                UPDATE payment SET status = 'CHARGING', correlation_id = ?, gateway_cause_event_id = ?,
                    gateway_traceparent = ?, updated_at = ?
                WHERE order_id = ? AND status = 'PENDING'""")
                .params(correlationId, cause, traceparent, utc(now), orderId)
                .update(), orderId, "mark charging");
    }

    /** The refund is decided; the gateway is called after the commit, its answer reacts to {@code cause}. */
    void markRefunding(String orderId, String reason, String correlationId, UUID cause, String traceparent,
            Instant now) {
        expectOne(jdbc.sql("""
                UPDATE payment SET status = 'REFUNDING', reason = ?, correlation_id = ?, gateway_cause_event_id = ?,
                    gateway_traceparent = ?, updated_at = ?
                WHERE order_id = ? AND status = 'CHARGED'""")
                .params(reason, correlationId, cause, traceparent, utc(now), orderId)
                .update(), orderId, "mark refunding");
    }

    /** Payments whose gateway call is due (CHARGING or REFUNDING), oldest decision first; read without a lock. */
    List<Payment> awaitingGateway(int limit) {
        return jdbc.sql("SELECT " + COLUMNS
                        + " FROM payment WHERE status IN ('CHARGING', 'REFUNDING') ORDER BY updated_at, order_id LIMIT ?")
                .param(limit)
                .query(PaymentRepository::payment)
                .list();
    }

    /** {@code cardLast4}: the charged card's last digits, as the provider tells them. */
    void markCharged(String orderId, String chargeReference, String cardLast4, Instant now) {
        expectOne(jdbc.sql("""
                UPDATE payment SET status = 'CHARGED', charge_reference = ?, card_last4 = ?, payment_token = NULL,
                    charged_at = ?, gateway_traceparent = NULL, updated_at = ?
                WHERE order_id = ? AND status = 'CHARGING'""")
                .params(chargeReference, cardLast4, utc(now), utc(now), orderId)
                .update(), orderId, "mark charged");
    }

    void markDeclined(String orderId, String reason, Instant now) {
        expectOne(jdbc.sql("""
                UPDATE payment SET status = 'DECLINED', reason = ?, payment_token = NULL, declined_at = ?,
                    gateway_traceparent = NULL, updated_at = ?
                WHERE order_id = ? AND status = 'CHARGING'""")
                .params(reason, utc(now), utc(now), orderId)
                .update(), orderId, "mark declined");
    }

    void markRefunded(String orderId, String refundReference, Instant now) {
        expectOne(jdbc.sql("""
                UPDATE payment SET status = 'REFUNDED', refund_reference = ?, refunded_at = ?,
                    gateway_traceparent = NULL, updated_at = ?
                WHERE order_id = ? AND status = 'REFUNDING'""")
                .params(refundReference, utc(now), utc(now), orderId)
                .update(), orderId, "mark refunded");
    }

    void markCancelled(String orderId, String reason, Instant now) {
        expectOne(jdbc.sql("""
                UPDATE payment SET status = 'CANCELLED', reason = ?, payment_token = NULL, cancelled_at = ?,
                    updated_at = ?
                WHERE order_id = ? AND status = 'PENDING'""")
                .params(reason, utc(now), utc(now), orderId)
                .update(), orderId, "mark cancelled");
    }

    private static String newPaymentId() {
        return "pay-" + UUID.randomUUID();
    }

    private static void expectOne(int updated, String orderId, String change) {
        // the row is locked and its state was checked: anything else is a bug, and rolls the handler back
        if (updated != 1) {
            throw new IllegalStateException("could not " + change + " of order " + orderId + ": " + updated
                    + " rows matched");
        }
    }

    private static Payment payment(ResultSet rs, int row) throws SQLException {
        return new Payment(
                rs.getString("order_id"),
                rs.getString("payment_id"),
                PaymentStatus.valueOf(rs.getString("status")),
                rs.getString("customer_id"),
                rs.getBigDecimal("amount"),
                rs.getString("currency"),
                rs.getString("card_last4"),
                rs.getString("charge_reference"),
                rs.getString("reason"),
                instant(rs, "order_placed_at"),
                instant(rs, "go_ahead_at"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "charged_at"),
                instant(rs, "declined_at"),
                instant(rs, "refunded_at"),
                instant(rs, "cancelled_at"),
                rs.getString("correlation_id"),
                rs.getObject("gateway_cause_event_id", UUID.class),
                rs.getString("gateway_traceparent"));
    }

}
