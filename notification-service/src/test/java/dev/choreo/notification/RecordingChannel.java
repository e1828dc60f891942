package dev.choreo.notification;

import dev.choreo.notification.channel.NotificationChannel;
import dev.choreo.notification.channel.OutgoingMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The tests' channel: records every delivery attempt with what the database showed other connections at that moment,
 * and can be told to be away for the next N deliveries.
 */
public class RecordingChannel implements NotificationChannel {

    public static final String NAME = "recording";

    /**
     * One attempt.
     *
     * @param insideTransaction whether the caller was inside a database transaction (holding its locks)
     * @param committedStatus   the notification's status as another connection saw it (null: not committed)
     * @param failed            whether this attempt was made to fail
     */
    public record Attempt(String notificationId, boolean insideTransaction, String committedStatus, boolean failed) {
    }

    private final JdbcClient jdbc;
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    RecordingChannel(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void deliver(OutgoingMessage message) {
        boolean inside = TransactionSynchronizationManager.isActualTransactionActive();
        // outside a transaction this runs on a connection of its own, which sees committed rows only
        String committed = inside ? null : jdbc.sql("SELECT status FROM notification WHERE notification_id = ?")
                .param(message.notificationId()).query(String.class).optional().orElse(null);
        boolean fail = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        attempts.add(new Attempt(message.notificationId(), inside, committed, fail));
        if (fail) {
            throw new IllegalStateException("mail provider unavailable (simulated)");
        }
    }

    public void failNextDeliveries(int times) {
        failuresLeft.set(times);
    }

    public List<Attempt> attemptsOf(String notificationId) {
        return attempts.stream().filter(a -> a.notificationId().equals(notificationId)).toList();
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class Configuration {

        @Bean
        RecordingChannel recordingChannel(JdbcClient jdbc) {
            return new RecordingChannel(jdbc);
        }
    }
}
