package dev.choreo.notification.notify;

import dev.choreo.events.notification.NotificationKind;
import dev.choreo.notification.channel.OutgoingMessage;
import java.time.Instant;
import java.util.UUID;

/**
 * What one customer is told about one order, at most once per kind.
 *
 * @param customerId     the recipient; {@code null} while {@link NotificationStatus#HELD}
 * @param correlationId  the order's process, carried on to {@code CustomerNotified}
 * @param triggerEventId the event this notification answers, the causation id of {@code CustomerNotified}
 * @param traceparent    the trace its delivery belongs to (W3C); null without tracing
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
        Instant sentAt,
        String traceparent) {

    OutgoingMessage outgoing() {
        return new OutgoingMessage(notificationId, customerId, subject, message);
    }
}
