package dev.choreo.notification.notify;

import dev.choreo.events.notification.CustomerNotified;
import dev.choreo.messaging.effects.PendingWorkRunner;
import dev.choreo.messaging.outbox.EventPublisher;
import dev.choreo.messaging.tracing.TraceContext;
import dev.choreo.notification.NotificationProperties;
import dev.choreo.notification.channel.NotificationChannel;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers the notifications that {@link Notifier} decided, after their transaction committed, then records each as
 * sent and publishes {@code CustomerNotified} (caused by the event the notification answers) in a short transaction.
 *
 * <p>A crash between the delivery and its record leaves the notification DUE: it is delivered again with the same
 * notification id, which the channel passes on as its idempotency key (an e-mail provider's idempotency key or
 * Message-ID), so a channel to a real provider that honours it tells the customer once. A channel that fails is tried
 * again after a back-off; nothing is dropped.
 */
@Component
class Deliveries {

    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);
    private static final int ROUND = 100;

    private final NotificationRepository notifications;
    private final NotificationChannel channel;
    private final EventPublisher events;
    private final NotificationMetrics metrics;
    private final TransactionTemplate transaction;
    private final Clock clock;

    Deliveries(NotificationRepository notifications, List<NotificationChannel> channels,
            NotificationProperties properties, EventPublisher events, NotificationMetrics metrics,
            TransactionTemplate transaction, Clock clock) {
        this.notifications = notifications;
        this.channel = channels.stream().filter(c -> c.name().equals(properties.channel())).findFirst()
                .orElseThrow(() -> new IllegalStateException("choreo.notification.channel=" + properties.channel()
                        + " names no channel; available: " + channels.stream().map(NotificationChannel::name)
                                .collect(Collectors.joining(", "))));
        this.events = events;
        this.metrics = metrics;
        this.transaction = transaction;
        this.clock = clock;
    }

    /**
     * Delivers the due notifications, oldest first, each recorded as soon as it was delivered.
     *
     * @return how many were due (another round follows while there were any)
     */
    int deliverDue() {
        List<Notification> due = notifications.due(ROUND);
        for (Notification notification : due) {
            try (Scope trace = TraceContext.restore(notification.traceparent())) {
                channel.deliver(notification.outgoing());
                transaction.executeWithoutResult(status -> recordSent(notification));
            }
        }
        return due.size();
    }

    private void recordSent(Notification n) {
        if (!notifications.markSent(n.notificationId(), clock.instant())) {
            log.debug("Notification {} of order {} was recorded as sent before", n.notificationId(), n.orderId());
            return;
        }
        events.reactTo(n.correlationId(), n.triggerEventId(),
                new CustomerNotified(n.orderId(), n.customerId(), n.notificationId(), n.kind(), n.channel()));
        metrics.sent(n.kind());
        log.debug("Notified customer {} of order {}: {} by {} ({})", n.customerId(), n.orderId(), n.kind(),
                n.channel(), n.notificationId());
    }

    @Configuration(proxyBeanMethods = false)
    static class Runner {

        /** Woken after each commit that made a notification due; sweeps every second for what a failure left. */
        @Bean
        PendingWorkRunner deliveryRunner(Deliveries deliveries) {
            return new PendingWorkRunner("notification-deliveries", Duration.ofSeconds(1), deliveries::deliverDue);
        }
    }
}
