package dev.choreo.collector;

import dev.choreo.events.DomainEvent;
import dev.choreo.events.EventCatalog;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventHeaders;
import dev.choreo.events.EventJson;
import dev.choreo.events.EventType;
import dev.choreo.events.inventory.InventoryRejected;
import dev.choreo.events.inventory.InventoryReleased;
import dev.choreo.events.inventory.InventoryUpdated;
import dev.choreo.events.inventory.ReservedLine;
import dev.choreo.events.notification.CustomerNotified;
import dev.choreo.events.notification.NotificationKind;
import dev.choreo.events.order.OrderCancelled;
import dev.choreo.events.order.OrderLine;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.order.PaymentMethod;
import dev.choreo.events.order.ShippingAddress;
import dev.choreo.events.payment.OrderPayed;
import dev.choreo.events.payment.PaymentDeclined;
import dev.choreo.events.payment.PaymentRefunded;
import dev.choreo.events.shipping.OrderShipped;
import dev.choreo.events.shipping.ShippingFailed;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Object mother of one order's events, each caused by the one it reacts to, as the services publish them
 * (envelope JSON, envelope headers, keyed by the order id).
 */
public final class OrderStory {

    private static final BigDecimal AMOUNT = new BigDecimal("99.80");

    public final String orderId;
    public final String correlationId;
    private final Map<String, EventEnvelope<?>> byType = new HashMap<>();
    private Instant at;
    private String customerId = "c-42";
    private List<String> skus = List.of("SKU-KEYBOARD");

    public OrderStory(String orderId, Instant start) {
        this.orderId = orderId;
        this.correlationId = UUID.randomUUID().toString();
        this.at = start;
    }

    /** Events after this one occur this much later. */
    public OrderStory advance(long millis) {
        at = at.plusMillis(millis);
        return this;
    }

    public EventEnvelope<?> placed() {
        return event(null, new OrderPlaced(orderId, customerId, skus.stream()
                .map(sku -> new OrderLine(sku, 2, new BigDecimal("49.90"))).toList(), AMOUNT, "EUR",
                new PaymentMethod("tok_visa"),
                new ShippingAddress("Ada Lovelace", "Main St 1", "Helsinki", "00100", "FI")));
    }

    /** Placed by this customer, for these products; the later events of the story carry them on. */
    public EventEnvelope<?> placed(String customer, String... products) {
        this.customerId = customer;
        this.skus = List.of(products);
        return placed();
    }

    public EventEnvelope<?> reserved() {
        return event("OrderPlaced", new InventoryUpdated(orderId, "res-1", reserved(skus)));
    }

    public EventEnvelope<?> rejected() {
        return event("OrderPlaced", new InventoryRejected(orderId, "out of stock", List.of("SKU-KEYBOARD")));
    }

    public EventEnvelope<?> paid() {
        return event("InventoryUpdated", new OrderPayed(orderId, "pay-1", AMOUNT, "EUR", "4242"));
    }

    public EventEnvelope<?> declined() {
        return event("InventoryUpdated", new PaymentDeclined(orderId, "pay-1", AMOUNT, "EUR", "card declined"));
    }

    public EventEnvelope<?> shipped() {
        return event("OrderPayed", new OrderShipped(orderId, "shp-1", "Posti", "TRK-1", "FI"));
    }

    public EventEnvelope<?> shippingFailed() {
        return event("OrderPayed", new ShippingFailed(orderId, "no carrier ships to AQ"));
    }

    public EventEnvelope<?> refunded(String causeType) {
        return event(causeType, new PaymentRefunded(orderId, "pay-1", AMOUNT, "EUR", "compensation"));
    }

    public EventEnvelope<?> released(String causeType) {
        return event(causeType, new InventoryReleased(orderId, "compensation", reserved(skus)));
    }

    public EventEnvelope<?> cancelled() {
        return event(null, new OrderCancelled(orderId, "customer changed their mind", "customer"));
    }

    public EventEnvelope<?> notified(String causeType, NotificationKind kind) {
        return event(causeType, new CustomerNotified(orderId, customerId, "ntf-" + kind, kind, "email"));
    }

    private static List<ReservedLine> reserved(List<String> skus) {
        return skus.stream().map(sku -> new ReservedLine(sku, 2)).toList();
    }

    private EventEnvelope<?> event(String causeType, DomainEvent payload) {
        EventType type = EventCatalog.typeOf(payload.getClass());
        EventEnvelope<?> cause = causeType == null ? null : byType.get(causeType);
        EventEnvelope<?> envelope = new EventEnvelope<>(UUID.randomUUID(), type.name(), type.schemaVersion(),
                correlationId, cause == null ? null : cause.eventId(), at, type.producer(), payload);
        byType.put(type.name(), envelope);
        return envelope;
    }

    /** The record a service publishes: key = order id, the envelope headers, optionally a traceparent. */
    public static ProducerRecord<byte[], byte[]> record(EventEnvelope<?> envelope, Integer partition) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(envelope.topic(), partition,
                utf8(envelope.key()), EventJson.write(envelope), headers(envelope));
        return record;
    }

    public static RecordHeaders headers(EventEnvelope<?> envelope) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.EVENT_ID, utf8(envelope.eventId().toString()));
        headers.add(EventHeaders.EVENT_TYPE, utf8(envelope.eventType()));
        headers.add(EventHeaders.SCHEMA_VERSION, utf8(Integer.toString(envelope.schemaVersion())));
        headers.add(EventHeaders.CORRELATION_ID, utf8(envelope.correlationId()));
        headers.add(EventHeaders.PRODUCER, utf8(envelope.producer()));
        return headers;
    }

    /** The record as consumed, for tests without a broker. */
    public static ConsumerRecord<byte[], byte[]> consumed(EventEnvelope<?> envelope, int partition, long offset) {
        byte[] value = EventJson.write(envelope);
        byte[] key = utf8(envelope.key());
        return new ConsumerRecord<>(envelope.topic(), partition, offset, envelope.occurredAt().toEpochMilli(),
                TimestampType.CREATE_TIME, key.length, value.length, key, value, headers(envelope), Optional.empty());
    }

    public static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
