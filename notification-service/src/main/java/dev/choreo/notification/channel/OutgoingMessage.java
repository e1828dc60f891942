package dev.choreo.notification.channel;

/** One message to one customer. */
public record OutgoingMessage(String notificationId, String customerId, String subject, String text) {
}
