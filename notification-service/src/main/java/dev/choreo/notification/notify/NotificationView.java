package dev.choreo.notification.notify;

import dev.choreo.events.notification.NotificationKind;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** A notification as the REST API shows it. */
@Schema(name = "Notification")
record NotificationView(
        String notificationId,
        String orderId,
        NotificationKind kind,
        String channel,
        @Schema(description = "SENT; DUE between the decision and the delivery; HELD while the order's OrderPlaced "
                + "(which names the customer) has not arrived") NotificationStatus status,
        @Schema(description = "the recipient; null while HELD") String customerId,
        String subject,
        String message,
        @Schema(description = "when the outcome was learnt") Instant createdAt,
        @Schema(description = "when the customer was told; null while HELD or DUE") Instant sentAt) {

    static NotificationView of(Notification n) {
        return new NotificationView(n.notificationId(), n.orderId(), n.kind(), n.channel(), n.status(),
                n.customerId(), n.subject(), n.message(), n.createdAt(), n.sentAt());
    }
}
