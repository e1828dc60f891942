package dev.choreo.events.notification;

/** What the customer was told; each ends the order's process one way. */
public enum NotificationKind {
    ORDER_COMPLETED, ORDER_REJECTED, ORDER_CANCELLED
}
