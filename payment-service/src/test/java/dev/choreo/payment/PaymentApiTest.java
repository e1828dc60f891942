package dev.choreo.payment;

import static dev.choreo.payment.ChargingTest.reservationOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.order.OrderLine;
import dev.choreo.messaging.test.OrderEvents;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/** The REST API over HTTP: payments by order and by status, problem details for bad input, metrics, API docs. */
class PaymentApiTest extends PaymentServiceIntegration {

    @Test
    void listsTheNewestPaymentsOfAStatus() {
        OrderEvents charged = OrderEvents.newOrder();
        OrderEvents declined = OrderEvents.newOrder();
        send(charged.placed("SKU-1", 1), charged.next(reservationOf(charged.orderId())),
                declined.placed(List.of(new OrderLine("SKU-1", 1, BigDecimal.TEN)), OrderEvents.DECLINED_TOKEN, "FI"),
                declined.next(reservationOf(declined.orderId())));
        await().until(() -> "CHARGED".equals(paymentField(charged.orderId(), "status"))
                && "DECLINED".equals(paymentField(declined.orderId(), "status")));

        ResponseEntity<JsonNode> declinedOnes = get("/payments?status=DECLINED&limit=500");
        assertThat(declinedOnes.getStatusCode().value()).isEqualTo(200);
        assertThat(orderIds(declinedOnes.getBody())).contains(declined.orderId()).doesNotContain(charged.orderId());
        assertThat(declinedOnes.getBody()).allSatisfy(p -> assertThat(text(p, "status")).isEqualTo("DECLINED"));

        ResponseEntity<JsonNode> all = get("/payments");
        assertThat(orderIds(all.getBody())).contains(charged.orderId(), declined.orderId());
        List<String> created = StreamSupport.stream(all.getBody().spliterator(), false)
                .map(p -> text(p, "createdAt")).toList();
        assertThat(created).isSortedAccordingTo((a, b) -> Instant.parse(b).compareTo(
                Instant.parse(a)));

        assertThat(get("/payments?limit=1").getBody()).hasSize(1);
    }

    @Test
    void answersAnUnknownOrderWith404ProblemDetails() {
        ResponseEntity<JsonNode> response = get("/payments/{orderId}", "ord-nobody-knows");

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(text(response.getBody(), "title")).isEqualTo("Payment not found");
        assertThat(text(response.getBody(), "detail")).contains("ord-nobody-knows");
        assertThat(response.getBody().get("status").intValue()).isEqualTo(404);
    }

    @Test
    void answersBadInputWith400ProblemDetailsNamingTheParameter() {
        Map<String, String> badInput = Map.of(
                "/payments/not an id!", "orderId",
                "/payments/" + "x".repeat(101), "orderId",
                "/payments?status=LOST", "status",
                "/payments?limit=0", "limit",
                "/payments?limit=501", "limit",
                "/payments?limit=many", "limit");
        badInput.forEach((uri, parameter) -> {
            ResponseEntity<JsonNode> response = get(uri);

            assertThat(response.getStatusCode().value()).as(uri).isEqualTo(400);
            assertThat(response.getHeaders().getContentType()).as(uri).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(response.getBody().get("status").intValue()).as(uri).isEqualTo(400);
            assertThat(text(response.getBody(), "detail")).as(uri).startsWith("Invalid request: " + parameter + " ");
            assertThat(text(response.getBody().get("errors").get(0), "field")).as(uri).isEqualTo(parameter);
        });
        assertThat(text(get("/payments?status=LOST").getBody(), "detail"))
                .isEqualTo("Invalid request: status must be one of [PENDING, CHARGING, CHARGED, DECLINED, REFUNDING, REFUNDED, CANCELLED]");
    }

    @Test
    void exposesPaymentOutcomesAndGatewayTimingsToPrometheus() {
        OrderEvents order = OrderEvents.newOrder();
        send(order.placed("SKU-1", 1), order.next(reservationOf(order.orderId())));
        await().until(() -> "CHARGED".equals(paymentField(order.orderId(), "status")));

        String metrics = http.get().uri("/actuator/prometheus").retrieve().body(String.class);

        assertThat(metrics)
                .contains("choreo_payments_total{application=\"payment-service\",outcome=\"charged\"}")
                .contains("choreo_payments_total{application=\"payment-service\",outcome=\"declined\"}")
                .contains("choreo_payments_total{application=\"payment-service\",outcome=\"refunded\"}")
                .containsPattern("choreo_payment_gateway_seconds_count\\{[^}]*operation=\"charge\"[^}]*"
                        + "outcome=\"charged\"[^}]*} [1-9]");
    }

    @Test
    void documentsTheApiWithOpenApi() {
        ResponseEntity<JsonNode> docs = get("/v3/api-docs");

        assertThat(docs.getStatusCode().value()).isEqualTo(200);
        assertThat(docs.getBody().get("paths").has("/payments/{orderId}")).isTrue();
        assertThat(docs.getBody().get("paths").has("/payments")).isTrue();
        assertThat(http.get().uri("/swagger-ui/index.html").retrieve().toBodilessEntity().getStatusCode().value())
                .isEqualTo(200);
    }

    private static List<String> orderIds(JsonNode payments) {
        return StreamSupport.stream(payments.spliterator(), false).map(p -> text(p, "orderId")).toList();
    }
}
