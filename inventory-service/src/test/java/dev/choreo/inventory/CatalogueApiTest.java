package dev.choreo.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventHeaders;
import dev.choreo.events.EventJson;
import dev.choreo.events.Topics;
import dev.choreo.events.catalogue.ProductCatalogued;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

/** The catalogue as other services (the topic) and people (the REST API) see it, and the API's errors. */
class CatalogueApiTest extends InventoryServiceTestSupport {

    private static final List<String> DEMO_SKUS = List.of("SKU-KEYBOARD", "SKU-MOUSE", "SKU-MONITOR", "SKU-HEADSET",
            "SKU-WEBCAM", "SKU-DOCK", "SKU-SOLDOUT");

    @Test
    void publishesTheCatalogueKeyedBySkuWhenItStarts() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                kafka.readAll(Topics.PRODUCT_CATALOGUE)).extracting(r -> r.key()).containsAll(DEMO_SKUS));

        var records = kafka.readAll(Topics.PRODUCT_CATALOGUE);
        assertThat(records).filteredOn(r -> r.key().equals("SKU-KEYBOARD")).first().satisfies(record -> {
            assertThat(header(record, EventHeaders.EVENT_TYPE)).isEqualTo("ProductCatalogued");
            EventEnvelope<?> envelope = EventJson.read(record.value());
            assertThat(envelope.correlationId()).isEqualTo("catalogue");
            assertThat(envelope.producer()).isEqualTo("inventory-service");
            assertThat(envelope.payload()).isEqualTo(
                    new ProductCatalogued("SKU-KEYBOARD", "Mechanical keyboard", new BigDecimal("89.90"), "EUR"));
        });
    }

    @Test
    void listsTheCatalogueWithPricesAndAvailableUnits() {
        List<Map<String, Object>> products = api.get().uri("/products").retrieve()
                .body(new ParameterizedTypeReference<>() {
                });

        assertThat(products).extracting(p -> p.get("sku")).containsAll(DEMO_SKUS);
        assertThat(products).filteredOn(p -> p.get("sku").equals("SKU-SOLDOUT")).singleElement()
                .satisfies(p -> assertThat(p.get("available")).isEqualTo(0));
        assertThat(products).filteredOn(p -> p.get("sku").equals("SKU-MONITOR")).singleElement()
                .satisfies(p -> {
                    assertThat(p).containsEntry("name", "27-inch 4K monitor").containsEntry("currency", "EUR")
                            .containsEntry("available", 1000).containsKey("price");
                    assertThat(new BigDecimal(p.get("price").toString())).isEqualByComparingTo("349.00");
                });
    }

    @Test
    void showsOneProductWithAllItsStockCounts() {
        ProductStock keyboard = stock("SKU-KEYBOARD");

        assertThat(keyboard).isEqualTo(new ProductStock("SKU-KEYBOARD", "Mechanical keyboard",
                new BigDecimal("89.90"), "EUR", 1000, 0, 0, 1000));
        assertStockConserved(DEMO_SKUS.toArray(String[]::new));
    }

    @Test
    void anUnknownProductOrReservationIsA404ProblemDetail() {
        assertProblem(get("/products/{sku}", "SKU-NOPE"), 404, "No product has SKU 'SKU-NOPE'");
        assertProblem(get("/reservations/{orderId}", "ord-never-seen"), 404, "No reservation for order 'ord-never-seen'");
    }

    @Test
    void malformedIdentifiersAreA400ProblemDetailNamingTheParameter() {
        Response badSku = get("/products/{sku}", "bad sku!");
        assertProblem(badSku, 400, "sku must be 1 to 64 letters, digits");
        assertThat(badSku.body()).contains("\"errors\"").contains("\"field\":\"sku\"");

        assertProblem(get("/products/{sku}", "S".repeat(65)), 400, "sku must be");
        // refused before it reaches the API: Spring Security's firewall does not let a ';' into a path
        assertProblem(get("/reservations/{orderId}", "ord;drop"), 400, "rejected");
        assertProblem(get("/reservations/{orderId}", "o".repeat(256)), 400, "orderId must be");
    }

    @Test
    void unknownPathsAndMethodsAreProblemDetailsToo() {
        assertThat(get("/nothing-here").status().value()).isEqualTo(404);
        assertThat(get("/nothing-here").contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        Response post = api.post().uri("/products").exchange((request, response) -> new Response(
                response.getStatusCode(), response.getHeaders().getContentType(), ""));
        assertThat(post.status().value()).isEqualTo(405);
        assertThat(post.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void documentsTheApiWithOpenApi() {
        String apiDocs = api.get().uri("/v3/api-docs").retrieve().body(String.class);

        assertThat(apiDocs).contains("\"/products\"", "\"/products/{sku}\"", "\"/reservations/{orderId}\"");
        assertThat(get("/swagger-ui.html").status().isError()).as("Swagger UI").isFalse();
    }

    @Test
    void exposesTheOutcomeCounterAndTheStockGauges() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = api.get().uri("/actuator/prometheus").retrieve().body(String.class);
            assertThat(metrics).contains("choreo_inventory_reservations_total{", "outcome=\"reserved\"",
                    "outcome=\"rejected\"", "outcome=\"released\"", "outcome=\"shipped\"");
            assertThat(metrics).containsPattern(
                    "choreo_inventory_stock\\{[^}]*sku=\"SKU-KEYBOARD\"[^}]*state=\"available\"[^}]*} 1000");
        });
    }

    private static void assertProblem(Response response, int status, String detail) {
        assertThat(response.status().value()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.body()).contains("\"status\":" + status).contains(detail);
    }
}
