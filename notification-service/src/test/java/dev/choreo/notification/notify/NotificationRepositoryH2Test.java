package dev.choreo.notification.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.events.notification.NotificationKind;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The local run (run-local.sh) keeps notifications in H2 in PostgreSQL mode: the migration and every statement of
 * the repository must work there too, not only on the PostgreSQL the integration tests use.
 */
class NotificationRepositoryH2Test {

    private NotificationRepository notifications;

    @BeforeEach
    void migrate() {
        var h2 = new SingleConnectionDataSource("jdbc:h2:mem:notification-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", "", true);
        Flyway.configure().dataSource(h2)
                .locations("filesystem:src/main/resources/db/migration", "classpath:db/messaging")
                .load().migrate();
        notifications = new NotificationRepository(JdbcClient.create(h2));
    }

    @Test
    void holdsReleasesSendsAndFindsNotifications() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        assertThat(notifications.lockRecipient("ord-1", now)).isEmpty();
        Notification held = notification("ord-1", NotificationKind.ORDER_CANCELLED, now);
        assertThat(notifications.insertIfAbsent(held)).isTrue();
        assertThat(notifications.insertIfAbsent(notification("ord-1", NotificationKind.ORDER_CANCELLED, now)))
                .as("one per order and kind").isFalse();
        assertThat(notifications.due(10)).as("held: nobody to tell yet").isEmpty();

        notifications.setRecipient("ord-1", "c-42", now);
        assertThat(notifications.lockRecipient("ord-1", now)).contains("c-42");
        assertThat(notifications.releaseHeld("ord-1", "c-42", "00-trace-span-01")).isEqualTo(1);
        assertThat(notifications.releaseHeld("ord-1", "c-42", null)).as("released once").isZero();
        assertThat(notifications.due(10)).singleElement().satisfies(due -> {
            assertThat(due.status()).isEqualTo(NotificationStatus.DUE);
            assertThat(due.customerId()).isEqualTo("c-42");
            assertThat(due.traceparent()).isEqualTo("00-trace-span-01");
        });

        assertThat(notifications.markSent(held.notificationId(), now.plusSeconds(1))).isTrue();
        assertThat(notifications.markSent(held.notificationId(), now.plusSeconds(2))).as("sent once").isFalse();
        assertThat(notifications.due(10)).isEmpty();
        Notification sent = notifications.find(held.notificationId()).orElseThrow();
        assertThat(sent.status()).isEqualTo(NotificationStatus.SENT);
        assertThat(sent.sentAt()).isEqualTo(now.plusSeconds(1));

        notifications.insertIfAbsent(notification("ord-2", NotificationKind.ORDER_REJECTED, now.plusSeconds(2)));
        assertThat(notifications.search(null, null, 10)).extracting(Notification::orderId)
                .containsExactly("ord-2", "ord-1");
        assertThat(notifications.search("ord-1", null, 10)).containsExactly(sent);
        assertThat(notifications.search(null, "c-42", 10)).containsExactly(sent);
        assertThat(notifications.search("ord-2", "c-42", 10)).isEmpty();
        assertThat(notifications.search(null, null, 1)).hasSize(1);
    }

    private static Notification notification(String orderId, NotificationKind kind, Instant now) {
        return new Notification("ntf-" + UUID.randomUUID(), orderId, kind, "email", NotificationStatus.HELD, null,
                "subject", "message", "corr-1", UUID.randomUUID(), "InventoryReleased", now, null, null);
    }
}
