package dev.choreo.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventHeaders;
import dev.choreo.events.EventJson;
import dev.choreo.events.Topics;
import dev.choreo.events.catalogue.ProductCatalogued;
import dev.choreo.events.inventory.InventoryUpdated;
import dev.choreo.events.inventory.ReservedLine;
import dev.choreo.messaging.kafka.DeadLetterReason;
import dev.choreo.messaging.test.KafkaTestClient;
import dev.choreo.messaging.test.OrderEvents;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A record order-service cannot read or handle goes to its topic's dead-letter topic with the cause in its
 * headers, and the partition keeps flowing: later valid records with the same key (so the same partition) are
 * handled.
 */
class DeadLetterTest extends OrderServiceIntegrationTest {

    @Test
    void poisonOnTheCatalogueIsDeadLetteredAndLaterProductsStillArrive() {
        String sku = "SKU-POISONED";
        kafka.sendRaw(Topics.PRODUCT_CATALOGUE, sku, "{not json".getBytes(StandardCharsets.UTF_8), Map.of());
        // valid JSON, but a price beyond the events' limits (no producer could build it): dead-lettered at once
        String gold = EventJson.writeString(EventEnvelope.inProcess("catalogue", new ProductCatalogued(sku,
                "Gold bar", new BigDecimal("4.00"), "EUR"), "inventory-service", Clock.systemUTC()));
        kafka.sendRaw(Topics.PRODUCT_CATALOGUE, sku, gold.replace("\"price\":4.00", "\"price\":1e999999999")
                .getBytes(StandardCharsets.UTF_8), Map.of());
        // readable, but a currency the replica refuses: not retryable, dead-lettered at once
        kafka.send(EventEnvelope.inProcess("catalogue", new ProductCatalogued(sku, "Gold bar",
                new BigDecimal("4.00"), "eur"), "inventory-service", Clock.systemUTC()));

        catalogue(sku, "4.00");

        await().untilAsserted(() -> assertThat(deadLetters(Topics.PRODUCT_CATALOGUE, sku))
                .extracting(r -> KafkaTestClient.header(r, DeadLetterReason.HEADER))
                .containsExactly("MALFORMED_JSON", "INVALID_PAYLOAD", "HANDLER_FAILED: IllegalArgumentException"));
        ConsumerRecord<String, byte[]> first = deadLetters(Topics.PRODUCT_CATALOGUE, sku).get(0);
        assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(KafkaTestClient.header(first, "kafka_dlt-original-topic")).isEqualTo(Topics.PRODUCT_CATALOGUE);
        // the message is the deserializer's ("failed to deserialize"); the cause names the field
        assertThat(KafkaTestClient.header(deadLetters(Topics.PRODUCT_CATALOGUE, sku).get(1),
                "kafka_dlt-exception-stacktrace")).contains("price must not exceed");
        assertThat(KafkaTestClient.header(deadLetters(Topics.PRODUCT_CATALOGUE, sku).get(2),
                "kafka_dlt-exception-message")).contains("not an ISO 4217 code");
    }

    @Test
    void poisonOnAProcessTopicIsDeadLetteredAndTheOrdersNextEventStillApplies() {
        catalogue("SKU-DLT", "1.00");
        String orderId = placedOrder("c-dlt", "SKU-DLT").get("orderId").asString();
        EventEnvelope<InventoryUpdated> reserved = OrderEvents.forOrder(orderId)
                .next(new InventoryUpdated(orderId, "res-1", List.of(new ReservedLine("SKU-DLT", 1))));
        // a type order-service does not react to (a newer inventory-service's): ignored, not dead-lettered
        String unknownType = EventJson.writeString(reserved).replace("\"InventoryUpdated\"", "\"InventoryTeleported\"");
        String missingLines = EventJson.writeString(reserved).replaceFirst("\"lines\":\\[[^]]*]", "\"lines\":[]");

        kafka.sendRaw(Topics.INVENTORY_EVENTS, orderId, "{not json".getBytes(StandardCharsets.UTF_8),
                Map.of(EventHeaders.CORRELATION_ID, reserved.correlationId()));
        kafka.sendRaw(Topics.INVENTORY_EVENTS, orderId, unknownType.getBytes(StandardCharsets.UTF_8), Map.of());
        kafka.sendRaw(Topics.INVENTORY_EVENTS, orderId, missingLines.getBytes(StandardCharsets.UTF_8), Map.of());
        kafka.send(reserved);

        await().untilAsserted(() -> assertThat(status(orderId)).isEqualTo("RESERVED"));
        await().untilAsserted(() -> assertThat(deadLetters(Topics.INVENTORY_EVENTS, orderId))
                .extracting(r -> KafkaTestClient.header(r, DeadLetterReason.HEADER))
                .containsExactly("MALFORMED_JSON", "INVALID_PAYLOAD"));
        assertThat(KafkaTestClient.header(deadLetters(Topics.INVENTORY_EVENTS, orderId).get(0),
                EventHeaders.CORRELATION_ID)).isEqualTo(reserved.correlationId());
        assertThat(history(orderId)).containsExactly("OrderPlaced", "InventoryUpdated");
    }

    private List<ConsumerRecord<String, byte[]>> deadLetters(String topic, String key) {
        return kafka.readAll(Topics.deadLetterOf(topic)).stream().filter(r -> key.equals(r.key())).toList();
    }
}
