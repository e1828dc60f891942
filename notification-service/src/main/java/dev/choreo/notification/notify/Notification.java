package dev.choreo.notification.notify;

import dev.choreo.events.notification.NotificationKind;
import java.time.Instant;
import java.util.UUID;

/**
 * What one customer is told about one order, at most once per kind.
 *
 * @param customerId     the recipient; {@code null} while {@link NotificationStatus#HELD}
 * @param correlationId  the order's process, carried on to {@code CustomerNotified}
 * @param triggerEventId the event this notification answers, the causation id of {@code CustomerNotified}
 */
record Notification(
        String notificationId,
        String orderId,
        NotificationKind kind,
        String channel,
        NotificationStatus status,
        String customerId,
        String subject,
        String message,
        String correlationId,
        UUID triggerEventId,
        String triggerEventType,
        Instant createdAt,
        Instant sentAt) {

    Notification sentTo(String recipient, Instant now) {
        return new Notification(notificationId, orderId, kind, channel, NotificationStatus.SENT, recipient, subject,
                message, correlationId, triggerEventId, triggerEventType, createdAt, now);
    }
}
