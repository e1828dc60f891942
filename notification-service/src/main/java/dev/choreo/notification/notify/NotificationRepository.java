package dev.choreo.notification.notify;

import static dev.choreo.messaging.jdbc.SqlTime.instant;
import static dev.choreo.messaging.jdbc.SqlTime.utc;

import dev.choreo.events.notification.NotificationKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Order recipients and notifications, with explicit SQL. */
@Repository
class NotificationRepository {

    private static final String COLUMNS = """
            notification_id, order_id, kind, channel, status, customer_id, subject, message, correlation_id,
            trigger_event_id, trigger_event_type, created_at, sent_at, traceparent""";

    private final JdbcClient jdbc;

    NotificationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The order's recipient row, created if absent, locked until the end of the transaction. A concurrent handler
     * of the same order that created it first makes this one wait for its commit; so OrderPlaced and a trigger
     * arriving at once on two topics are serialised, and neither misses the other.
     * ({@code ON CONFLICT DO NOTHING} without a target: the form H2 also understands in PostgreSQL mode.)
     *
     * @return the customer of the order, empty while OrderPlaced has not been seen
     */
    Optional<String> lockRecipient(String orderId, Instant now) {
        jdbc.sql("""
                INSERT INTO order_recipient (order_id, customer_id, created_at, updated_at) VALUES (?, NULL, ?, ?)
                ON CONFLICT DO NOTHING""")
                .params(orderId, utc(now), utc(now))
                .update();
        return jdbc.sql("SELECT customer_id FROM order_recipient WHERE order_id = ? FOR UPDATE")
                .param(orderId)
                .query((rs, row) -> Optional.ofNullable(rs.getString("customer_id")))
                .single();
    }

    void setRecipient(String orderId, String customerId, Instant now) {
        jdbc.sql("UPDATE order_recipient SET customer_id = ?, updated_at = ? WHERE order_id = ?")
                .params(customerId, utc(now), orderId)
                .update();
    }

    /** @return {@code false} if the order already has a notification of this kind */
    boolean insertIfAbsent(Notification n) {
        return jdbc.sql("INSERT INTO notification (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")
                .params(n.notificationId(), n.orderId(), n.kind().name(), n.channel(), n.status().name(),
                        n.customerId(), n.subject(), n.message(), n.correlationId(), n.triggerEventId(),
                        n.triggerEventType(), utc(n.createdAt()), utc(n.sentAt()), n.traceparent())
                .update() == 1;
    }

    /**
     * OrderPlaced named the customer of the order's held notifications: they are due now.
     *
     * @return how many were held
     */
    int releaseHeld(String orderId, String customerId, String traceparent) {
        return jdbc.sql("""
                UPDATE notification SET status = 'DUE', customer_id = ?, traceparent = ?
                WHERE order_id = ? AND status = 'HELD'""")
                .params(customerId, traceparent, orderId)
                .update();
    }

    /** Notifications to deliver, oldest first; read without a lock. */
    List<Notification> due(int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notification WHERE status = 'DUE'"
                + " ORDER BY created_at, notification_id LIMIT ?")
                .param(limit)
                .query(NotificationRepository::map)
                .list();
    }

    /** @return {@code false} if it was marked sent before (by another instance, or before a crash) */
    boolean markSent(String notificationId, Instant now) {
        return jdbc.sql("""
                UPDATE notification SET status = 'SENT', sent_at = ?, traceparent = NULL
                WHERE notification_id = ? AND status = 'DUE'""")
                .params(utc(now), notificationId)
                .update() == 1;
    }

    Optional<Notification> find(String notificationId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notification WHERE notification_id = ?")
                .param(notificationId)
                .query(NotificationRepository::map)
                .optional();
    }

    /** Newest first, optionally only one order's or one customer's. */
    List<Notification> search(String orderId, String customerId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM notification WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (orderId != null) {
            sql.append(" AND order_id = ?");
            params.add(orderId);
        }
        if (customerId != null) {
            sql.append(" AND customer_id = ?");
            params.add(customerId);
        }
        sql.append(" ORDER BY created_at DESC, notification_id LIMIT ?");
        params.add(limit);
        return jdbc.sql(sql.toString()).params(params).query(NotificationRepository::map).list();
    }

    private static Notification map(ResultSet rs, int row) throws SQLException {
        return new Notification(
                rs.getString("notification_id"),
                rs.getString("order_id"),
                NotificationKind.valueOf(rs.getString("kind")),
                rs.getString("channel"),
                NotificationStatus.valueOf(rs.getString("status")),
                rs.getString("customer_id"),
                rs.getString("subject"),
                rs.getString("message"),
                rs.getString("correlation_id"),
                rs.getObject("trigger_event_id", UUID.class),
                rs.getString("trigger_event_type"),
                instant(rs, "created_at"),
                instant(rs, "sent_at"),
                rs.getString("traceparent"));
    }

}
