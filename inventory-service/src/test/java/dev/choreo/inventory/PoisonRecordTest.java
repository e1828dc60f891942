package dev.choreo.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventHeaders;
import dev.choreo.events.EventJson;
import dev.choreo.events.Topics;
import dev.choreo.events.payment.PaymentDeclined;
import dev.choreo.events.shipping.OrderShipped;
import dev.choreo.events.shipping.ShippingFailed;
import dev.choreo.messaging.kafka.DeadLetterReason;
import dev.choreo.messaging.test.OrderEvents;
import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/** Records inventory cannot read or handle go to the dead-letter topic; the partition keeps flowing. */
class PoisonRecordTest extends InventoryServiceTestSupport {

    /**
     * Issue 15: only shipping-service says a shipment failed. A ShippingFailed that claims another producer (a
     * misconfigured ACL, a forged record), or a genuine one on another topic, releases nothing and is dead-lettered
     * with the reason; the reservation stays.
     */
    @Test
    void aShippingFailureNotFromShippingReleasesNothingAndIsDeadLettered() {
        String sku = givenProduct(10);
        OrderEvents order = OrderEvents.newOrder();
        sendAndAwait(order.placed(sku, 2));
        EventEnvelope<ShippingFailed> failed = order.next(new ShippingFailed(order.orderId(), "forged"));
        String json = EventJson.writeString(failed);
        String forged = json.replace("\"producer\":\"shipping-service\"", "\"producer\":\"payment-service\"");
        assertThat(forged).isNotEqualTo(json);
        Map<String, String> headers = Map.of(EventHeaders.EVENT_TYPE, "ShippingFailed",
                EventHeaders.CORRELATION_ID, order.correlationId());

        List<RecordMetadata> sent = List.of(
                kafka.sendRaw(Topics.SHIPPING_EVENTS, order.orderId(), forged.getBytes(StandardCharsets.UTF_8), headers),
                kafka.sendRaw(Topics.PAYMENT_EVENTS, order.orderId(), json.getBytes(StandardCharsets.UTF_8), headers));
        awaitHandled(sent);

        assertThat(deadLettersOf(Topics.SHIPPING_EVENTS, order.orderId()))
                .extracting(r -> header(r, DeadLetterReason.HEADER)).containsExactly("NOT_FROM_OWNER");
        assertThat(deadLettersOf(Topics.PAYMENT_EVENTS, order.orderId()))
                .extracting(r -> header(r, DeadLetterReason.HEADER)).containsExactly("WRONG_TOPIC");
        assertThat(inventoryEventTypesOf(order.orderId())).containsExactly("InventoryUpdated");
        assertThat(reservation(order.orderId()).status()).isEqualTo("RESERVED");
        assertThat(stock(sku).reserved()).isEqualTo(2);
    }

    @Test
    void unreadableRecordsAreDeadLetteredAndTheOrderBehindThemIsStillReserved() {
        String sku = givenProduct(10);
        OrderEvents order = OrderEvents.newOrder();
        EventEnvelope<?> valid = order.placed(sku, 1);
        String validJson = EventJson.writeString(valid);
        Map<String, String> headers = Map.of(EventHeaders.CORRELATION_ID, order.correlationId());

        List<RecordMetadata> sent = List.of(
                poison(order, "{not json", headers),
                // a type inventory does not react to (a newer order-service's): ignored, not dead-lettered
                poison(order, validJson.replace("\"OrderPlaced\"", "\"OrderTeleported\""), headers),
                poison(order, validJson.replaceFirst("\"schemaVersion\":\\d+", "\"schemaVersion\":99"), headers),
                poison(order, validJson.replaceFirst("\"eventId\":\"[^\"]*\",", ""), headers),
                poison(order, validJson.replaceFirst("\"customerId\":\"[^\"]*\",", ""), headers),
                poison(order, validJson.replaceFirst("\"quantity\":1", "\"quantity\":\"one\""), headers),
                kafka.send(valid));
        assertThat(sent).extracting(RecordMetadata::partition).as("one partition").containsOnly(sent.get(0).partition());

        awaitHandled(sent);

        List<ConsumerRecord<String, byte[]>> deadLetters = deadLettersOf(Topics.ORDER_EVENTS, order.orderId());
        assertThat(deadLetters).extracting(r -> header(r, DeadLetterReason.HEADER)).containsExactly(
                "MALFORMED_JSON", "UNSUPPORTED_SCHEMA_VERSION", "MISSING_ENVELOPE_FIELD",
                "INVALID_PAYLOAD", "INVALID_PAYLOAD");
        assertThat(deadLetters).allSatisfy(r -> {
            assertThat(r.partition()).isEqualTo(sent.get(0).partition());
            assertThat(header(r, "kafka_dlt-original-topic")).isEqualTo(Topics.ORDER_EVENTS);
            assertThat(header(r, "kafka_dlt-original-consumer-group")).isEqualTo(GROUP);
            assertThat(header(r, EventHeaders.CORRELATION_ID)).isEqualTo(order.correlationId());
        });
        assertThat(new String(deadLetters.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(inventoryEventTypesOf(order.orderId())).containsExactly("InventoryUpdated");
        assertThat(stock(sku).reserved()).isEqualTo(1);
    }

    @Test
    void aShipmentThatCannotBeBookedIsDeadLetteredWithoutEffectAndLaterEventsAreHandled() {
        String sku = givenProduct(1);
        OrderEvents first = OrderEvents.newOrder();
        sendAndAwait(first.placed(sku, 1));
        sendAndAwait(first.next(new PaymentDeclined(first.orderId(), "pay-1", new BigDecimal("10.00"), "EUR",
                "card declined")));
        // the released unit is sold to another order before the first order's late shipment arrives
        OrderEvents second = OrderEvents.forOrder(orderIdOnSamePartitionAs(first.orderId()));
        sendAndAwait(second.placed(sku, 1));
        assertThat(stock(sku)).extracting(ProductStock::available, ProductStock::reserved).containsExactly(0, 1);

        EventEnvelope<?> unbookable = first.next(shipped(first));
        EventEnvelope<?> bookable = second.next(shipped(second));
        List<RecordMetadata> sent = List.of(kafka.send(unbookable), kafka.send(bookable));
        assertThat(sent.get(1).partition()).isEqualTo(sent.get(0).partition());

        awaitHandled(sent);

        assertThat(deadLettersOf(Topics.SHIPPING_EVENTS, first.orderId())).singleElement().satisfies(r -> {
            assertThat(header(r, DeadLetterReason.HEADER)).isEqualTo("HANDLER_FAILED: IllegalStateException");
            assertThat(header(r, "kafka_dlt-exception-message")).contains("no longer has 1 units available");
            assertThat(header(r, EventHeaders.EVENT_ID)).isEqualTo(unbookable.eventId().toString());
        });
        assertThat(reservation(first.orderId()).status()).isEqualTo("RELEASED");
        assertThat(reservation(second.orderId()).status()).isEqualTo("SHIPPED");
        assertThat(stock(sku)).extracting(ProductStock::available, ProductStock::reserved, ProductStock::shipped)
                .containsExactly(0, 0, 1);
        assertStockConserved(sku);
    }

    private RecordMetadata poison(OrderEvents order, String value, Map<String, String> headers) {
        return kafka.sendRaw(Topics.ORDER_EVENTS, order.orderId(), value.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static OrderShipped shipped(OrderEvents order) {
        return new OrderShipped(order.orderId(), "shp-" + order.orderId(), "DHL", "TRACK-1", "FI");
    }
}
