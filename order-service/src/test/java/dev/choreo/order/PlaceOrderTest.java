package dev.choreo.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventCatalog;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.catalogue.ProductCatalogued;
import dev.choreo.events.order.OrderLine;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.order.PaymentMethod;
import dev.choreo.events.order.ShippingAddress;
import dev.choreo.messaging.test.OrderEvents;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** POST /orders prices from the catalogue replica and publishes exactly one OrderPlaced, atomically. */
class PlaceOrderTest extends OrderServiceIntegrationTest {

    @Test
    void placesAnOrderPricedFromTheCatalogueAndPublishesOneOrderPlaced() {
        catalogue("SKU-PLACE-A", "12.50");
        catalogue("SKU-PLACE-B", "3.20");
        ObjectNode body = orderBody("c-place", "SKU-PLACE-A", "SKU-PLACE-B");
        ((ObjectNode) body.get("items").get(0)).put("quantity", 2);
        ((ObjectNode) body.get("items").get(1)).put("quantity", 3)
                // the client does not set prices: unknown properties are ignored
                .put("unitPrice", "0.01");
        body.put("total", "0.00");

        ResponseEntity<String> response = placeOrder(body);

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(201);
        JsonNode order = json(response);
        String orderId = order.get("orderId").asString();
        assertThat(orderId).matches("ord-[0-9a-f-]{36}");
        assertThat(response.getHeaders().getLocation()).hasToString("/orders/" + orderId);
        assertThat(order.get("status").asString()).isEqualTo("PLACED");
        assertThat(order.get("customerId").asString()).isEqualTo("c-place");
        assertThat(order.get("total").decimalValue()).isEqualByComparingTo("34.60");
        assertThat(order.get("currency").asString()).isEqualTo("EUR");
        assertThat(order.get("lines").get(0).get("sku").asString()).isEqualTo("SKU-PLACE-A");
        assertThat(order.get("lines").get(0).get("name").asString()).isEqualTo("Product SKU-PLACE-A");
        assertThat(order.get("lines").get(0).get("unitPrice").decimalValue()).isEqualByComparingTo("12.50");
        assertThat(order.get("lines").get(0).get("lineTotal").decimalValue()).isEqualByComparingTo("25.00");
        assertThat(order.get("lines").get(1).get("unitPrice").decimalValue()).isEqualByComparingTo("3.20");
        assertThat(order.get("payment").get("token").asString()).isEqualTo(OrderEvents.CHARGED_TOKEN);
        assertThat(order.get("shippingAddress").get("country").asString()).isEqualTo("FI");
        String correlationId = order.get("correlationId").asString();
        assertThat(correlationId).isNotBlank();

        await().untilAsserted(() -> assertThat(orderEvents("OrderPlaced", orderId)).hasSize(1));
        EventEnvelope<?> placed = orderEvents("OrderPlaced", orderId).get(0);
        assertThat(placed.correlationId()).isEqualTo(correlationId);
        assertThat(placed.causationId()).isNull();
        assertThat(placed.producer()).isEqualTo(EventCatalog.ORDER_SERVICE);
        assertThat(placed.payload()).isEqualTo(new OrderPlaced(orderId, "c-place", List.of(
                new OrderLine("SKU-PLACE-A", 2, new BigDecimal("12.50")),
                new OrderLine("SKU-PLACE-B", 3, new BigDecimal("3.20"))), new BigDecimal("34.60"), "EUR",
                new PaymentMethod(OrderEvents.CHARGED_TOKEN),
                new ShippingAddress("Ada Lovelace", "Main St 1", "Helsinki", "00100", "FI")));

        JsonNode stored = order(orderId);
        assertThat(stored.get("history")).singleElement().satisfies(entry -> {
            assertThat(entry.get("eventType").asString()).isEqualTo("OrderPlaced");
            assertThat(entry.get("eventId").asString()).isEqualTo(placed.eventId().toString());
            assertThat(entry.get("status").asString()).isEqualTo("PLACED");
        });
        // the relay deletes an outbox row once Kafka acknowledged it
        await().untilAsserted(() -> assertThat(jdbc.sql("SELECT count(*) FROM outbox_record")
                .query(Long.class).single()).isZero());
    }

    @Test
    void pricesFromTheNewestCatalogueVersionOnly() {
        catalogue("SKU-REPRICED", "10.00");
        catalogue("SKU-REPRICED", "11.00");
        // an older version (a replay, a re-driven dead letter) does not overwrite the newer price
        var stale = kafka.send(new EventEnvelope<>(UUID.randomUUID(), "ProductCatalogued", 1, "catalogue",
                null, Instant.now().minus(Duration.ofDays(1)), "inventory-service",
                new ProductCatalogued("SKU-REPRICED", "Old name", new BigDecimal("1.00"), "EUR")));
        awaitConsumed(stale);

        JsonNode order = placedOrder("c-repriced", "SKU-REPRICED");

        assertThat(order.get("lines").get(0).get("unitPrice").decimalValue()).isEqualByComparingTo("11.00");
        assertThat(order.get("lines").get(0).get("name").asString()).isEqualTo("Product SKU-REPRICED");
    }

    @Test
    void listsTheNewestOrdersFirstOptionallyByStatus() {
        catalogue("SKU-LIST", "1.00");
        String older = placedOrder("c-list", "SKU-LIST").get("orderId").asString();
        String newer = placedOrder("c-list", "SKU-LIST").get("orderId").asString();

        JsonNode newest = json(get("/orders?limit=2"));
        assertThat(newest.valueStream().map(o -> o.get("orderId").asString())).containsExactly(newer, older);
        assertThat(newest.get(0).get("status").asString()).isEqualTo("PLACED");
        assertThat(newest.get(0).get("total").decimalValue()).isEqualByComparingTo("1.00");

        assertThat(json(get("/orders?status=PLACED&limit=200")).valueStream()
                .map(o -> o.get("orderId").asString())).contains(newer, older);
        assertThat(json(get("/orders?status=COMPLETED")).valueStream()
                .map(o -> o.get("orderId").asString())).doesNotContain(newer, older);
    }

    @Test
    void countsPlacedOrders() {
        catalogue("SKU-METRIC", "1.00");
        placedOrder("c-metric", "SKU-METRIC");

        ResponseEntity<String> metrics = get("/actuator/prometheus");
        assertThat(metrics.getStatusCode().value()).isEqualTo(200);
        assertThat(metrics.getBody()).containsPattern("choreo_orders_placed_total\\{[^}]*} [1-9]");
    }

    @Test
    void documentsTheApi() {
        ResponseEntity<String> docs = get("/v3/api-docs");

        assertThat(docs.getStatusCode().value()).isEqualTo(200);
        assertThat(json(docs).get("paths").propertyNames())
                .contains("/orders", "/orders/{orderId}", "/orders/{orderId}/cancel");
        assertThat(get("/swagger-ui.html").getStatusCode().is4xxClientError()).isFalse();
    }
}
