package dev.choreo.order.orders;

import dev.choreo.events.EventEnvelope;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Follows an order's process: records every event of it in the order's history (once) and moves the status
 * forward when the event leads further than the order already is. Runs inside the transaction in which the
 * starter's inbox handles the event, with the order's row locked, so events of one order arriving on several topics
 * at once are applied one at a time.
 */
@Service
class OrderTracking {

    private static final Logger log = LoggerFactory.getLogger(OrderTracking.class);

    private final Orders orders;
    private final OrderMetrics metrics;
    private final Clock clock;

    OrderTracking(Orders orders, OrderMetrics metrics, Clock clock) {
        this.orders = orders;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Records an event that does not change the status by itself (a failure whose compensation follows). */
    @Transactional
    void record(String orderId, EventEnvelope<?> event, String detail) {
        apply(orderId, event, Optional.empty(), detail);
    }

    /** Records an event that moves the order to {@code next}, unless it already is that far or has ended. */
    @Transactional
    void advance(String orderId, EventEnvelope<?> event, OrderStatus next, String detail) {
        apply(orderId, event, Optional.of(next), detail);
    }

    private void apply(String orderId, EventEnvelope<?> event, Optional<OrderStatus> next, String detail) {
        Optional<Orders.Locked> order = orders.lock(orderId);
        if (order.isEmpty()) {
            // Not an order of ours (order-service writes the order before OrderPlaced can leave): nothing to follow.
            log.warn("Ignored {} {} for unknown order {}", event.eventType(), event.eventId(), orderId);
            return;
        }
        OrderStatus current = order.get().status();
        OrderStatus after = next.filter(current::canAdvanceTo).orElse(current);
        Instant now = clock.instant();
        if (!orders.appendHistory(orderId, event, after, detail, now)) {
            return;
        }
        if (after != current) {
            orders.updateStatus(orderId, after, now);
            log.debug("Order {} {} -> {} on {}: {}", orderId, current, after, event.eventType(), detail);
            if (after.isTerminal()) {
                metrics.ended(after);
            }
        } else if (next.isPresent()) {
            log.debug("Order {} stays {} on late {}: {}", orderId, current, event.eventType(), detail);
        } else {
            log.debug("Order {} ({}) saw {}: {}", orderId, current, event.eventType(), detail);
        }
    }
}
