package dev.choreo.notification.notify;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.notification.NotificationKind;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.messaging.effects.PendingWorkRunner;
import dev.choreo.messaging.tracing.TraceContext;
import dev.choreo.notification.NotificationProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Decides what customers are told about how their orders ended, once per order and kind. The customer comes from
 * {@code OrderPlaced}; an outcome seen before it is held until it arrives. Every method runs inside the transaction in
 * which the starter's inbox handles the event, with the order's recipient row locked; the message itself is delivered
 * by {@link Deliveries} after that transaction has committed, so a rollback never leaves a message sent.
 */
@Service
@Transactional(propagation = Propagation.MANDATORY)
class Notifier {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    private final NotificationRepository notifications;
    private final String channel;
    private final PendingWorkRunner deliveries;
    private final Clock clock;

    Notifier(NotificationRepository notifications, NotificationProperties properties, PendingWorkRunner deliveries,
            Clock clock) {
        this.notifications = notifications;
        this.channel = properties.channel();
        this.deliveries = deliveries;
        this.clock = clock;
    }

    /** OrderPlaced names the customer: remember it, and release what was held for want of it. */
    void customerKnown(OrderPlaced placed) {
        Instant now = clock.instant();
        Optional<String> known = notifications.lockRecipient(placed.orderId(), now);
        if (known.isPresent()) {
            log.warn("Order {} placed again: keeping customer {}", placed.orderId(), known.get());
            return;
        }
        notifications.setRecipient(placed.orderId(), placed.customerId(), now);
        if (notifications.releaseHeld(placed.orderId(), placed.customerId(), TraceContext.currentTraceparent()) > 0) {
            deliveries.wakeAfterCommit();
        } else {
            log.debug("Order {} placed by customer {}: will tell them how it ends", placed.orderId(),
                    placed.customerId());
        }
    }

    /** The order ended one way: tell the customer once this commits, or hold it until OrderPlaced names them. */
    void orderEnded(EventEnvelope<?> trigger, String orderId, NotificationKind kind, MessageTemplates.Text text) {
        Instant now = clock.instant();
        Optional<String> customer = notifications.lockRecipient(orderId, now);
        Notification notification = new Notification("ntf-" + UUID.randomUUID(), orderId, kind, channel,
                customer.isPresent() ? NotificationStatus.DUE : NotificationStatus.HELD, customer.orElse(null),
                text.subject(), text.message(), trigger.correlationId(), trigger.eventId(), trigger.eventType(), now,
                null, TraceContext.currentTraceparent());
        if (!notifications.insertIfAbsent(notification)) {
            log.debug("Order {} already has its {} notification: not telling the customer twice ({} {})", orderId,
                    kind, trigger.eventType(), trigger.eventId());
            return;
        }
        if (customer.isPresent()) {
            deliveries.wakeAfterCommit();
        } else {
            log.debug("Holding {} notification of order {} until OrderPlaced names the customer", kind, orderId);
        }
    }
}
