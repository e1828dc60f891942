package dev.choreo.payment;

import static dev.choreo.payment.ChargingTest.reservationOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventHeaders;
import dev.choreo.events.EventJson;
import dev.choreo.events.Topics;
import dev.choreo.events.inventory.InventoryUpdated;
import dev.choreo.events.order.OrderLine;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.order.PaymentMethod;
import dev.choreo.events.order.ShippingAddress;
import dev.choreo.messaging.kafka.DeadLetterReason;
import dev.choreo.messaging.test.KafkaTestClient;
import dev.choreo.messaging.test.OrderEvents;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/** A record payment-service cannot read or handle goes to the topic's .DLT with its cause, and the partition moves on. */
class PoisonRecordTest extends PaymentServiceIntegration {

    @Test
    void deadLettersUnreadableRecordsAndStillHandlesTheNextEventsOfThePartition() {
        OrderEvents order = OrderEvents.newOrder();
        String key = order.orderId();
        EventEnvelope<OrderPlaced> placed = order.placed("SKU-1", 1);
        EventEnvelope<InventoryUpdated> reserved = order.next(reservationOf(key));
        String invalidPayload = EventJson.writeString(reserved).replace("\"SKU-1\"", "\"\"");

        send(placed);
        // same topic, same key, so the same partition as the valid InventoryUpdated sent after them
        RecordMetadata malformed = kafka.sendRaw(Topics.INVENTORY_EVENTS, key,
                "{\"eventType\": \"InventoryUpd".getBytes(StandardCharsets.UTF_8),
                Map.of(EventHeaders.CORRELATION_ID, order.correlationId()));
        RecordMetadata invalid = kafka.sendRaw(Topics.INVENTORY_EVENTS, key,
                invalidPayload.getBytes(StandardCharsets.UTF_8), Map.of());
        RecordMetadata valid = kafka.send(reserved);
        assertThat(List.of(malformed.partition(), invalid.partition())).containsOnly(valid.partition());

        await().untilAsserted(() -> assertThat(published("OrderPayed", key)).hasSize(1));
        await().untilAsserted(() -> assertThat(deadLetters(Topics.INVENTORY_EVENTS, key))
                .extracting(r -> KafkaTestClient.header(r, DeadLetterReason.HEADER))
                .containsExactly("MALFORMED_JSON", "INVALID_PAYLOAD"));
        ConsumerRecord<String, byte[]> first = deadLetters(Topics.INVENTORY_EVENTS, key).get(0);
        assertThat(first.partition()).isEqualTo(malformed.partition());
        assertThat(KafkaTestClient.header(first, "kafka_dlt-original-topic")).isEqualTo(Topics.INVENTORY_EVENTS);
        assertThat(KafkaTestClient.header(first, "kafka_dlt-original-consumer-group")).isEqualTo("payment-service");
        assertThat(KafkaTestClient.header(first, EventHeaders.CORRELATION_ID)).isEqualTo(order.correlationId());
    }

    @Test
    void deadLettersAnOrderWhoseMoneyCannotBeStoredExactlyWithoutStoringIt() {
        OrderEvents order = OrderEvents.newOrder();
        EventEnvelope<OrderPlaced> placed = order.next(new OrderPlaced(order.orderId(), "c-42",
                List.of(new OrderLine("SKU-1", 1, new BigDecimal("10.01"))), new BigDecimal("10.01"), "EUR",
                new PaymentMethod(OrderEvents.CHARGED_TOKEN),
                new ShippingAddress("Ada Lovelace", "Main St 1", "Helsinki", "00100", "FI")));
        // a fraction of a cent: no producer of the suite can build it (Limits), a foreign one can write it
        String fractionOfACent = EventJson.writeString(placed).replace("10.01", "10.005");
        OrderEvents next = OrderEvents.forOrder(order.orderId());

        kafka.sendRaw(Topics.ORDER_EVENTS, order.orderId(), fractionOfACent.getBytes(StandardCharsets.UTF_8),
                Map.of(EventHeaders.EVENT_ID, placed.eventId().toString(), EventHeaders.EVENT_TYPE, "OrderPlaced",
                        EventHeaders.CORRELATION_ID, placed.correlationId()));
        // a valid event after it on the same partition is still handled
        RecordMetadata valid = kafka.send(next.placed("SKU-1", 1));

        await().untilAsserted(() -> assertThat(deadLetters(Topics.ORDER_EVENTS, order.orderId()))
                .singleElement().satisfies(r -> {
                    assertThat(KafkaTestClient.header(r, DeadLetterReason.HEADER)).isEqualTo("INVALID_PAYLOAD");
                    assertThat(KafkaTestClient.header(r, "kafka_dlt-exception-message")).contains("more than 2 decimals");
                }));
        awaitHandled(List.of(valid));
        assertThat(payment(order.orderId()).get("amount").decimalValue()).isEqualByComparingTo("10.00");
    }

    private List<ConsumerRecord<String, byte[]>> deadLetters(String topic, String key) {
        return kafka.readAll(Topics.deadLetterOf(topic)).stream().filter(r -> key.equals(r.key())).toList();
    }
}
