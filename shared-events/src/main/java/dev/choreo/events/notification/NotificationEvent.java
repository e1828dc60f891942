package dev.choreo.events.notification;

import dev.choreo.events.OrderScopedEvent;

/** Events published by notification-service on {@link dev.choreo.events.Topics#NOTIFICATION_EVENTS}. */
public sealed interface NotificationEvent extends OrderScopedEvent permits CustomerNotified {
}
