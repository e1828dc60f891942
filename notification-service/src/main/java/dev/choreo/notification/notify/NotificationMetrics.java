package dev.choreo.notification.notify;

import dev.choreo.events.notification.NotificationKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@code choreo_notifications_total{kind}}: customers told, per kind. Counted when the notification commits, so a
 * handler that rolls back and is retried counts once. Every kind's series exists from startup.
 */
@Component
class NotificationMetrics {

    static final String NAME = "choreo.notifications";

    private final Map<NotificationKind, Counter> sent = new EnumMap<>(NotificationKind.class);

    NotificationMetrics(MeterRegistry registry) {
        for (NotificationKind kind : NotificationKind.values()) {
            sent.put(kind, Counter.builder(NAME)
                    .description("Customers notified, by what they were told")
                    .tag("kind", kind.name())
                    .register(registry));
        }
    }

    void sent(NotificationKind kind) {
        Counter counter = sent.get(kind);
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            counter.increment();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                counter.increment();
            }
        });
    }
}
