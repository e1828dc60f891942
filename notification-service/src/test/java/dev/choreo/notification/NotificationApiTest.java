package dev.choreo.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.inventory.InventoryRejected;
import dev.choreo.events.order.OrderLine;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.order.PaymentMethod;
import dev.choreo.events.order.ShippingAddress;
import dev.choreo.messaging.test.OrderEvents;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/** The REST API over real HTTP: queries, unknown ids and bad input as RFC 9457 problem details. */
class NotificationApiTest extends NotificationIntegrationTest {

    @Test
    void findsACustomersNotificationsNewestFirst() {
        String customer = "c-" + UUID.randomUUID();
        OrderEvents first = OrderEvents.newOrder();
        OrderEvents second = OrderEvents.newOrder();
        for (OrderEvents order : List.of(first, second)) {
            kafka.send(order.next(placedBy(order, customer)));
            kafka.send(order.next(new InventoryRejected(order.orderId(), "insufficient stock", List.of("SKU-1"))));
            await().untilAsserted(() -> assertThat(customerNotified(order.orderId())).hasSize(1));
        }

        JsonNode all = json(get("/notifications?customerId={c}", customer));
        assertThat(all).hasSize(2);
        assertThat(all.get(0).get("orderId").asString()).isEqualTo(second.orderId());
        assertThat(all.get(1).get("orderId").asString()).isEqualTo(first.orderId());
        assertThat(all.get(0).get("customerId").asString()).isEqualTo(customer);

        JsonNode limited = json(get("/notifications?customerId={c}&limit=1", customer));
        assertThat(limited).hasSize(1);
        JsonNode oneOrder = json(get("/notifications?customerId={c}&orderId={o}", customer, first.orderId()));
        assertThat(oneOrder).hasSize(1);
        assertThat(oneOrder.get(0).get("orderId").asString()).isEqualTo(first.orderId());
        assertThat(json(get("/notifications?limit=1"))).hasSize(1);
    }

    @Test
    void anOrderWithoutNotificationsHasAnEmptyList() {
        ResponseEntity<String> response = get("/notifications?orderId={o}", "ord-never-placed");

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(json(response)).isEmpty();
    }

    @Test
    void anUnknownNotificationIsNotFound() {
        ResponseEntity<String> response = get("/notifications/{id}", "ntf-unknown");

        assertProblem(response, 404);
        assertThat(json(response).get("detail").asString()).contains("ntf-unknown");
        assertThat(json(response).get("instance").asString()).isEqualTo("/notifications/ntf-unknown");
    }

    @Test
    void malformedIdsAndFiltersAreBadRequests() {
        assertProblem(get("/notifications/{id}", "x".repeat(101)), 400);
        assertProblem(get("/notifications/{id}", "ntf$1"), 400);
        assertProblem(get("/notifications?orderId={o}", "-dash"), 400);
        assertProblem(get("/notifications?customerId={c}", "c 42"), 400);
    }

    @Test
    void aLimitOutOfRangeOrNotANumberIsABadRequest() {
        assertProblem(get("/notifications?limit=0"), 400);
        assertProblem(get("/notifications?limit=101"), 400);
        assertProblem(get("/notifications?limit=ten"), 400);
    }

    @Test
    void documentsTheApi() {
        ResponseEntity<String> response = get("/v3/api-docs");

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(json(response).get("paths").has("/notifications/{notificationId}")).isTrue();
        assertThat(json(response).get("paths").has("/notifications")).isTrue();
    }

    private static OrderPlaced placedBy(OrderEvents order, String customerId) {
        return new OrderPlaced(order.orderId(), customerId, List.of(new OrderLine("SKU-1", 1, new BigDecimal("10.00"))),
                new BigDecimal("10.00"), "EUR", new PaymentMethod(OrderEvents.CHARGED_TOKEN),
                new ShippingAddress("Ada Lovelace", "Main St 1", "Helsinki", "00100", "FI"));
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
