package dev.choreo.order.orders;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.order.OrderCancelled;
import dev.choreo.messaging.outbox.EventPublisher;
import dev.choreo.order.orders.OrderMetrics.CancellationSource;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Cancels orders still in flight (PLACED, RESERVED, PAID): marks the order and publishes {@code OrderCancelled}
 * in one transaction; the other services compensate in reaction and the order becomes CANCELLED when its stock
 * is released. An order that shipped or ended, or whose cancellation is already under way, is refused.
 */
@Service
public class OrderCancelling {

    /** {@code requestedBy} of a cancellation through the API. */
    public static final String CUSTOMER = "customer";

    private static final Logger log = LoggerFactory.getLogger(OrderCancelling.class);

    private final Orders orders;
    private final EventPublisher events;
    private final OrderMetrics metrics;
    private final Clock clock;

    OrderCancelling(Orders orders, EventPublisher events, OrderMetrics metrics, Clock clock) {
        this.orders = orders;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The customer's cancellation through the API. */
    @Transactional
    public CancellationOutcome cancelByCustomer(String orderId, String reason) {
        return cancel(orderId, reason, CUSTOMER, Optional.empty());
    }

    /**
     * An operator's (or the collector's timeout) request, {@code ProcessCancellationRequested}: the decision is
     * recorded in the order's history, and {@code OrderCancelled} names the request as its cause.
     */
    @Transactional
    CancellationOutcome cancelOnRequest(String orderId, String reason, String requestedBy,
            EventEnvelope<?> request) {
        return cancel(orderId, reason, requestedBy, Optional.of(request));
    }

    private CancellationOutcome cancel(String orderId, String reason, String requestedBy,
            Optional<EventEnvelope<?>> request) {
        Optional<Orders.Locked> locked = orders.lock(orderId);
        if (locked.isEmpty()) {
            log.warn("Cannot cancel unknown order {} (requested by {})", orderId, requestedBy);
            return new CancellationOutcome.UnknownOrder(orderId);
        }
        Orders.Locked order = locked.get();
        CancellationSource source = request.isPresent() ? CancellationSource.OPERATIONS : CancellationSource.CUSTOMER;
        // an operator's (or the collector's) request is rare and worth an INFO line; a customer's is one per request
        Level level = request.isPresent() ? Level.INFO : Level.DEBUG;
        Instant now = clock.instant();
        try (var correlation = LogCorrelation.of(order.correlationId())) {
            Optional<String> refusal = refusal(order);
            if (refusal.isPresent()) {
                log.atLevel(level).log("Refused to cancel order {} (requested by {}): {}", orderId, requestedBy,
                        refusal.get());
                request.ifPresent(r -> orders.appendHistory(orderId, r, order.status(),
                        "cancellation requested by %s (%s) refused: %s".formatted(requestedBy, reason, refusal.get()),
                        now));
                metrics.cancellation(false, source);
                return new CancellationOutcome.Refused(order.status(), refusal.get());
            }
            request.ifPresent(r -> orders.appendHistory(orderId, r, order.status(),
                    "cancellation requested by %s: %s".formatted(requestedBy, reason), now));
            OrderCancelled cancelled = new OrderCancelled(orderId, reason, requestedBy);
            EventEnvelope<OrderCancelled> published = request
                    .<EventEnvelope<OrderCancelled>>map(r -> events.react(r, cancelled))
                    .orElseGet(() -> events.publishInProcess(order.correlationId(), cancelled));
            orders.markCancellationRequested(orderId, reason, requestedBy, now);
            orders.appendHistory(orderId, published, order.status(),
                    "cancelled by %s: %s; compensation follows".formatted(requestedBy, reason), now);
            metrics.cancellation(true, source);
            log.atLevel(level).log("Cancelling order {} ({}), requested by {}: {}", orderId, order.status(),
                    requestedBy, reason);
            return new CancellationOutcome.Requested(orders.find(orderId).orElseThrow());
        }
    }

    private static Optional<String> refusal(Orders.Locked order) {
        if (!order.status().isCancellable()) {
            return Optional.of(order.status() == OrderStatus.SHIPPED
                    ? "the order has shipped"
                    : "the order has already ended " + order.status());
        }
        if (order.cancellationRequested()) {
            return Optional.of("the order is already being cancelled");
        }
        return Optional.empty();
    }
}
