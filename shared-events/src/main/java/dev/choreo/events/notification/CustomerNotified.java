package dev.choreo.events.notification;

import dev.choreo.events.Limits;
import dev.choreo.events.Require;

/** The customer was told how the order ended. The end event of every process. */
public record CustomerNotified(String orderId, String customerId, String notificationId, NotificationKind kind,
        String channel) implements NotificationEvent {

    public CustomerNotified {
        Require.text(orderId, "orderId", Limits.ID);
        Require.text(customerId, "customerId", Limits.ID);
        Require.text(notificationId, "notificationId", Limits.ID);
        Require.present(kind, "kind");
        Require.text(channel, "channel", Limits.LABEL);
    }
}
