package dev.choreo.notification.channel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code email} channel of the demo: no mail sink, the message is recorded in the database by the caller and
 * written to the log here. A real one would hand the message to a mail service, keyed by the notification id.
 */
@Component
class LoggingEmailChannel implements NotificationChannel {

    private static final Logger log = LoggerFactory.getLogger(LoggingEmailChannel.class);

    @Override
    public String name() {
        return "email";
    }

    @Override
    public void deliver(OutgoingMessage message) {
        log.debug("Email {} to customer {}: \"{}\"", message.notificationId(), message.customerId(),
                message.subject());
    }
}
