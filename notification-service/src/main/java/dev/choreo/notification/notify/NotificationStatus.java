package dev.choreo.notification.notify;

/** Whether the customer was told yet. */
public enum NotificationStatus {
    /** The outcome is known but OrderPlaced, which names the customer, has not arrived yet. */
    HELD,
    /** The customer is known: to be delivered once the transaction that decided it has committed. */
    DUE,
    /** Delivered through the channel; {@code CustomerNotified} was published. */
    SENT
}
