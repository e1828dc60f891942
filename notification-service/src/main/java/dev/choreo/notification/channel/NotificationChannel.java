package dev.choreo.notification.channel;

/**
 * A way to reach a customer. Called after the transaction that decided the notification has committed, outside any
 * transaction; the notification is recorded as sent (and {@code CustomerNotified} published) after the call returns.
 * A crash in between delivers it again, so a channel to a real sink passes {@link OutgoingMessage#notificationId()}
 * on as its idempotency key. Throw when the sink cannot take the message now: it is tried again after a back-off.
 */
public interface NotificationChannel {

    /** The channel's name, e.g. {@code email}; selected by {@code choreo.notification.channel}. */
    String name();

    void deliver(OutgoingMessage message);
}
