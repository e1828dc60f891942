package dev.choreo.notification.notify;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.notification.CustomerNotified;
import dev.choreo.events.notification.NotificationKind;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.messaging.outbox.EventPublisher;
import dev.choreo.notification.NotificationProperties;
import dev.choreo.notification.channel.NotificationChannel;
import dev.choreo.notification.channel.OutgoingMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tells customers how their orders ended, once per order and kind. The customer comes from {@code OrderPlaced};
 * an outcome seen before it is held and sent when it arrives. Every method runs inside the transaction in which the
 * starter's inbox handles the event, with the order's recipient row locked.
 */
@Service
@Transactional(propagation = Propagation.MANDATORY)
class Notifier {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    private final NotificationRepository notifications;
    private final NotificationChannel channel;
    private final EventPublisher events;
    private final NotificationMetrics metrics;
    private final Clock clock;

    Notifier(NotificationRepository notifications, List<NotificationChannel> channels,
            NotificationProperties properties, EventPublisher events, NotificationMetrics metrics, Clock clock) {
        this.notifications = notifications;
        this.channel = channels.stream().filter(c -> c.name().equals(properties.channel())).findFirst()
                .orElseThrow(() -> new IllegalStateException("choreo.notification.channel=" + properties.channel()
                        + " names no channel; available: " + channels.stream().map(NotificationChannel::name)
                                .collect(Collectors.joining(", "))));
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** OrderPlaced names the customer: remember it, and send what was held for want of it. */
    void customerKnown(OrderPlaced placed) {
        Instant now = clock.instant();
        Optional<String> known = notifications.lockRecipient(placed.orderId(), now);
        if (known.isPresent()) {
            log.warn("Order {} placed again: keeping customer {}", placed.orderId(), known.get());
            return;
        }
        notifications.setRecipient(placed.orderId(), placed.customerId(), now);
        List<Notification> held = notifications.held(placed.orderId());
        for (Notification notification : held) {
            Notification sent = notification.sentTo(placed.customerId(), now);
            notifications.markSent(sent);
            send(sent);
        }
        if (held.isEmpty()) {
            log.debug("Order {} placed by customer {}: will tell them how it ends", placed.orderId(),
                    placed.customerId());
        }
    }

    /** The order ended one way: tell the customer now, or hold it until OrderPlaced names them. */
    void orderEnded(EventEnvelope<?> trigger, String orderId, NotificationKind kind, MessageTemplates.Text text) {
        Instant now = clock.instant();
        Optional<String> customer = notifications.lockRecipient(orderId, now);
        Notification notification = new Notification("ntf-" + UUID.randomUUID(), orderId, kind, channel.name(),
                customer.isPresent() ? NotificationStatus.SENT : NotificationStatus.HELD, customer.orElse(null),
                text.subject(), text.message(), trigger.correlationId(), trigger.eventId(), trigger.eventType(), now,
                customer.isPresent() ? now : null);
        if (!notifications.insertIfAbsent(notification)) {
            log.debug("Order {} already has its {} notification: not telling the customer twice ({} {})", orderId,
                    kind, trigger.eventType(), trigger.eventId());
            return;
        }
        if (customer.isPresent()) {
            send(notification);
        } else {
            log.debug("Holding {} notification of order {} until OrderPlaced names the customer", kind, orderId);
        }
    }

    private void send(Notification n) {
        channel.deliver(new OutgoingMessage(n.notificationId(), n.customerId(), n.subject(), n.message()));
        publish(n, new CustomerNotified(n.orderId(), n.customerId(), n.notificationId(), n.kind(), n.channel()));
        metrics.sent(n.kind());
        log.debug("Notified customer {} of order {}: {} by {} ({})", n.customerId(), n.orderId(), n.kind(),
                n.channel(), n.notificationId());
    }

    /** Caused by the event the notification answers, also when OrderPlaced released it from hold. */
    private void publish(Notification n, CustomerNotified payload) {
        events.reactTo(n.correlationId(), n.triggerEventId(), payload);
    }
}
