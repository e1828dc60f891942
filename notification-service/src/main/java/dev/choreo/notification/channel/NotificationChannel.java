package dev.choreo.notification.channel;

/**
 * A way to reach a customer. Delivery happens inside the transaction that records the notification and publishes
 * {@code CustomerNotified}; if that transaction rolls back, the event is redelivered and the message delivered
 * again, so a channel to a real sink should be idempotent on {@link OutgoingMessage#notificationId()}.
 */
public interface NotificationChannel {

    /** The channel's name, e.g. {@code email}; selected by {@code choreo.notification.channel}. */
    String name();

    void deliver(OutgoingMessage message);
}
