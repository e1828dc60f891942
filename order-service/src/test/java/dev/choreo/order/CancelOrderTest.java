package dev.choreo.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventCatalog;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Limits;
import dev.choreo.events.inventory.InventoryReleased;
import dev.choreo.events.inventory.InventoryUpdated;
import dev.choreo.events.inventory.ReservedLine;
import dev.choreo.events.notification.CustomerNotified;
import dev.choreo.events.notification.NotificationKind;
import dev.choreo.events.operations.ProcessCancellationRequested;
import dev.choreo.events.order.OrderCancelled;
import dev.choreo.events.payment.OrderPayed;
import dev.choreo.events.shipping.OrderShipped;
import dev.choreo.messaging.test.OrderEvents;
import java.math.BigDecimal;
import java.util.List;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * Cancelling an order in flight, by the customer (POST /orders/{id}/cancel) or by an operator
 * (ProcessCancellationRequested): OrderCancelled in the same transaction as the mark, refusal once shipped or
 * ended.
 */
class CancelOrderTest extends OrderServiceIntegrationTest {

    static final String SKU = "SKU-CANCEL";

    String orderId;
    String correlationId;
    OrderEvents process;

    @BeforeEach
    void placeAnOrder() {
        catalogue(SKU, "7.00");
        JsonNode order = placedOrder("c-cancel", SKU);
        orderId = order.get("orderId").asString();
        correlationId = order.get("correlationId").asString();
        process = OrderEvents.forOrder(orderId);
    }

    @Test
    void theCustomerCancelsAnOrderInFlight() {
        kafka.send(process.next(new InventoryUpdated(orderId, "res-1", List.of(new ReservedLine(SKU, 1)))));
        await().untilAsserted(() -> assertThat(status(orderId)).isEqualTo("RESERVED"));

        ResponseEntity<String> response = cancel(orderId, "{\"reason\": \"changed my mind\"}");

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        JsonNode order = json(response);
        assertThat(order.get("status").asString()).isEqualTo("RESERVED");
        assertThat(order.get("cancellation").get("reason").asString()).isEqualTo("changed my mind");
        assertThat(order.get("cancellation").get("requestedBy").asString()).isEqualTo("customer");
        await().untilAsserted(() -> assertThat(orderEvents("OrderCancelled", orderId)).hasSize(1));
        EventEnvelope<?> cancelled = orderEvents("OrderCancelled", orderId).get(0);
        assertThat(cancelled.payload()).isEqualTo(new OrderCancelled(orderId, "changed my mind", "customer"));
        assertThat(cancelled.correlationId()).isEqualTo(correlationId);
        assertThat(cancelled.producer()).isEqualTo(EventCatalog.ORDER_SERVICE);
        assertThat(history(orderId)).containsExactly("OrderPlaced", "InventoryUpdated", "OrderCancelled");

        // a second request while the compensation runs is refused, and publishes nothing
        ResponseEntity<String> again = cancel(orderId, null);
        assertProblem(again, 409);
        assertThat(json(again).get("detail").asString()).contains("already being cancelled");

        kafka.send(process.next(new InventoryReleased(orderId, "order cancelled", List.of(new ReservedLine(SKU, 1)))));
        await().untilAsserted(() -> assertThat(status(orderId)).isEqualTo("CANCELLED"));
        assertProblem(cancel(orderId, null), 409);
        assertThat(orderEvents("OrderCancelled", orderId)).hasSize(1);
    }

    @Test
    void withoutABodyTheDefaultReasonIsRecorded() {
        ResponseEntity<String> response = cancel(orderId, null);

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        await().untilAsserted(() -> assertThat(orderEvents("OrderCancelled", orderId)).singleElement()
                .satisfies(e -> assertThat(e.payload())
                        .isEqualTo(new OrderCancelled(orderId, "cancelled by the customer", "customer"))));
    }

    @Test
    void aShippedOrderCannotBeCancelled() {
        kafka.send(process.next(new OrderPayed(orderId, "pay-1", new BigDecimal("7.00"), "EUR", "4242")));
        kafka.send(process.next(new OrderShipped(orderId, "shp-1", "ChoreoPost", "CP1", "FI")));
        await().untilAsserted(() -> assertThat(status(orderId)).isEqualTo("SHIPPED"));

        ResponseEntity<String> response = cancel(orderId, "{\"reason\": \"too late\"}");

        assertProblem(response, 409);
        assertThat(json(response).get("detail").asString()).contains("shipped");
        assertThat(json(response).get("orderStatus").asString()).isEqualTo("SHIPPED");
        kafka.send(process.next(new CustomerNotified(orderId, "c-cancel", "n-1", NotificationKind.ORDER_COMPLETED,
                "email")));
        await().untilAsserted(() -> assertThat(status(orderId)).isEqualTo("COMPLETED"));
        assertProblem(cancel(orderId, null), 409);
        assertThat(orderEvents("OrderCancelled", orderId)).isEmpty();
        assertThat(order(orderId).get("cancellation").isNull()).isTrue();
    }

    @Test
    void anUnknownOrderIsNotFoundAndABadRequestIsRefused() {
        assertProblem(cancel("ord-never-placed", null), 404);
        assertProblem(cancel("no$such", null), 400);
        assertProblem(cancel(orderId, "{\"reason\": \"" + "x".repeat(Limits.REASON + 1) + "\"}"), 400);
        assertThat(json(cancel(orderId, "{\"reason\": \"" + "x".repeat(Limits.REASON + 1) + "\"}")).get("errors").get(0)
                .get("field").asString()).isEqualTo("reason");
        assertProblem(cancel(orderId, "{\"reason\": "), 400);
        assertProblem(post("/orders/" + orderId + "/cancel", "reason", MediaType.TEXT_PLAIN), 415);
        assertThat(order(orderId).get("cancellation").isNull()).isTrue();
    }

    @Test
    void anOperatorCancelsAStuckOrderOnceEvenIfAskedThreeTimes() {
        EventEnvelope<ProcessCancellationRequested> request = process.next(
                new ProcessCancellationRequested(orderId, "stuck at payment", "operator:alice"));
        kafka.send(request);
        kafka.send(request);
        RecordMetadata last = kafka.send(request);
        awaitConsumed(last);

        await().untilAsserted(() -> assertThat(orderEvents("OrderCancelled", orderId)).hasSize(1));
        EventEnvelope<?> cancelled = orderEvents("OrderCancelled", orderId).get(0);
        assertThat(cancelled.payload()).isEqualTo(new OrderCancelled(orderId, "stuck at payment", "operator:alice"));
        assertThat(cancelled.causationId()).isEqualTo(request.eventId());
        assertThat(history(orderId)).containsExactly("OrderPlaced", "ProcessCancellationRequested", "OrderCancelled");
        assertThat(order(orderId).get("cancellation").get("requestedBy").asString()).isEqualTo("operator:alice");
    }

    @Test
    void anOperatorCannotCancelAFinishedOrder() {
        kafka.send(process.next(new CustomerNotified(orderId, "c-cancel", "n-1", NotificationKind.ORDER_COMPLETED,
                "email")));
        await().untilAsserted(() -> assertThat(status(orderId)).isEqualTo("COMPLETED"));

        RecordMetadata sent = kafka.send(process.next(
                new ProcessCancellationRequested(orderId, "timed out", "collector-timeout")));
        awaitConsumed(sent);

        assertThat(orderEvents("OrderCancelled", orderId)).isEmpty();
        JsonNode refusal = order(orderId).get("history").get(2);
        assertThat(refusal.get("eventType").asString()).isEqualTo("ProcessCancellationRequested");
        assertThat(refusal.get("detail").asString()).contains("refused", "COMPLETED");
        assertThat(status(orderId)).isEqualTo("COMPLETED");
    }

    private ResponseEntity<String> cancel(String orderId, String body) {
        return post("/orders/" + orderId + "/cancel", body, body == null ? null : MediaType.APPLICATION_JSON);
    }
}
