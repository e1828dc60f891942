package dev.choreo.messaging.test;

import dev.choreo.events.DomainEvent;
import dev.choreo.events.EventCatalog;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.order.OrderLine;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.order.PaymentMethod;
import dev.choreo.events.order.ShippingAddress;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * Object mother of one order's process, for the services' tests: builds the envelopes the other services would
 * publish, each caused by the previous one and sharing the order's correlation id.
 */
public final class OrderEvents {

    /** The payment provider's sandbox tokens (payment-service's simulated gateway): always charged, always declined. */
    public static final String CHARGED_TOKEN = "tok_visa";
    public static final String DECLINED_TOKEN = "tok_chargeDeclined";

    private final String orderId;
    private final String correlationId = UUID.randomUUID().toString();
    private EventEnvelope<?> last;

    private OrderEvents(String orderId) {
        this.orderId = orderId;
    }

    public static OrderEvents forOrder(String orderId) {
        return new OrderEvents(orderId);
    }

    public static OrderEvents newOrder() {
        return forOrder("ord-" + UUID.randomUUID());
    }

    public String orderId() {
        return orderId;
    }

    public String correlationId() {
        return correlationId;
    }

    /** An OrderPlaced for {@code quantity} units of {@code sku} at 10.00 each, paid with a token that is charged. */
    public EventEnvelope<OrderPlaced> placed(String sku, int quantity) {
        return placed(List.of(new OrderLine(sku, quantity, new BigDecimal("10.00"))), CHARGED_TOKEN, "FI");
    }

    public EventEnvelope<OrderPlaced> placed(List<OrderLine> lines, String paymentToken, String country) {
        BigDecimal total = lines.stream().map(OrderLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        return next(new OrderPlaced(orderId, "c-42", lines, total, "EUR", new PaymentMethod(paymentToken),
                new ShippingAddress("Ada Lovelace", "Main St 1", "Helsinki", "00100", country)));
    }

    /** The next event of the process, published by the event type's own producer and caused by the last one. */
    public <E extends DomainEvent> EventEnvelope<E> next(E payload) {
        String producer = EventCatalog.typeOf(payload.getClass()).producer();
        EventEnvelope<E> envelope = last == null
                ? EventEnvelope.inProcess(correlationId, payload, producer, Clock.systemUTC())
                : last.reactWith(payload, producer, Clock.systemUTC());
        last = envelope;
        return envelope;
    }
}
