package dev.choreo.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.messaging.test.OrderEvents;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/** The REST API over real HTTP: reads, unknown ids and bad input as RFC 9457 problem details. */
class ShipmentApiTest extends ShippingIntegrationTest {

    @Test
    void listsTheMostRecentlyChangedShipmentsFirst() {
        OrderEvents older = OrderEvents.newOrder();
        kafka.send(older.placed("SKU-1", 1));
        await().untilAsserted(() -> assertThat(get("/shipments/{id}", older.orderId()).getStatusCode().value())
                .isEqualTo(200));
        OrderEvents newer = OrderEvents.newOrder();
        kafka.send(newer.placed("SKU-1", 1));
        await().untilAsserted(() -> assertThat(get("/shipments/{id}", newer.orderId()).getStatusCode().value())
                .isEqualTo(200));

        ResponseEntity<String> response = get("/shipments?limit=1");
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        JsonNode list = json(response);
        assertThat(list.isArray()).isTrue();
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("orderId").asString()).isEqualTo(newer.orderId());
        assertThat(list.get(0).get("status").asString()).isEqualTo("AWAITING_PAYMENT");

        assertThat(json(get("/shipments")).size()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void anUnknownOrderIsNotFound() {
        ResponseEntity<String> response = get("/shipments/{id}", "ord-never-placed");

        assertProblem(response, 404);
        assertThat(json(response).get("detail").asString()).contains("ord-never-placed");
        assertThat(json(response).get("instance").asString()).isEqualTo("/shipments/ord-never-placed");
    }

    @Test
    void aMalformedOrderIdIsABadRequest() {
        assertProblem(get("/shipments/{id}", "x".repeat(101)), 400);
        assertProblem(get("/shipments/{id}", "-starts-with-a-dash"), 400);
        assertProblem(get("/shipments/{id}", "ord$1"), 400);
    }

    @Test
    void aLimitOutOfRangeOrNotANumberIsABadRequest() {
        assertProblem(get("/shipments?limit=0"), 400);
        assertProblem(get("/shipments?limit=101"), 400);
        assertProblem(get("/shipments?limit=ten"), 400);
    }

    @Test
    void documentsTheApi() {
        ResponseEntity<String> response = get("/v3/api-docs");

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(json(response).get("paths").has("/shipments/{orderId}")).isTrue();
        assertThat(get("/swagger-ui.html").getStatusCode().is2xxSuccessful()
                || get("/swagger-ui.html").getStatusCode().is3xxRedirection()).isTrue();
    }

    private static void assertProblem(ResponseEntity<String> response, int status) {
        assertThat(response.getStatusCode().value()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).isNotNull();
        assertThat(response.getHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .as("content type %s", response.getHeaders().getContentType()).isTrue();
        assertThat(json(response).get("status").asInt()).isEqualTo(status);
        assertThat(json(response).get("title").asString()).isNotBlank();
    }
}
