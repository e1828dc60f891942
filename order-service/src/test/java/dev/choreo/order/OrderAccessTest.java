package dev.choreo.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.security.test.TestUsers;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * Who may do what with orders: a customer (the local user {@code customer}, whose customer id is its name) places,
 * reads, lists and cancels only their own; an operator everything; anyone else nothing.
 */
class OrderAccessTest extends OrderServiceIntegrationTest {

    private RestClient asCustomer;

    @BeforeEach
    void customer() {
        catalogue("ACC-1", "10.00");
        asCustomer = RestClient.builder()
                .baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("Authorization", TestUsers.basic("customer"))
                .defaultStatusHandler(status -> true, (request, response) -> {
                })
                .build();
    }

    @Test
    void aCustomerPlacesReadsListsAndCancelsOnlyTheirOwnOrders() {
        ResponseEntity<String> placed = asCustomer.post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                .body(JSON.writeValueAsString(orderBody("customer", "ACC-1"))).retrieve().toEntity(String.class);
        assertThat(placed.getStatusCode().value()).as(placed.getBody()).isEqualTo(201);
        String own = json(placed).get("orderId").asString();
        String someoneElses = placedOrder("cust-other", "ACC-1").get("orderId").asString();

        ResponseEntity<String> forAnother = asCustomer.post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                .body(JSON.writeValueAsString(orderBody("cust-other", "ACC-1"))).retrieve().toEntity(String.class);
        assertProblem(forAnother, 403);

        assertThat(asCustomer.get().uri("/orders/{id}", own).retrieve().toEntity(String.class)
                .getStatusCode().value()).isEqualTo(200);
        // another customer's order does not exist for them: ids cannot be probed
        assertProblem(asCustomer.get().uri("/orders/{id}", someoneElses).retrieve().toEntity(String.class), 404);

        JsonNode listed = json(asCustomer.get().uri("/orders?limit=200").retrieve().toEntity(String.class));
        List<String> customers = listed.valueStream().map(order -> order.get("customerId").asString()).toList();
        assertThat(customers).isNotEmpty().containsOnly("customer");
        assertProblem(asCustomer.get().uri("/orders?customerId=cust-other").retrieve().toEntity(String.class), 403);

        assertProblem(asCustomer.post().uri("/orders/{id}/cancel", someoneElses).retrieve().toEntity(String.class),
                404);
        assertThat(status(someoneElses)).isEqualTo("PLACED");
        assertThat(asCustomer.post().uri("/orders/{id}/cancel", own).retrieve().toEntity(String.class)
                .getStatusCode().value()).isEqualTo(202);

        // the operator sees and acts on everyone's
        JsonNode all = json(get("/orders?limit=200"));
        assertThat(all.valueStream().map(order -> order.get("customerId").asString()))
                .contains("customer", "cust-other");
    }

    @Test
    void anonymousCallersAndOtherRolesAreRefused() {
        String url = "http://127.0.0.1:" + port;
        for (String[] call : List.of(new String[] {"POST", "/orders"}, new String[] {"GET", "/orders"},
                new String[] {"GET", "/orders/ord-1"}, new String[] {"POST", "/orders/ord-1/cancel"})) {
            assertThat(TestUsers.status(url, call[0], call[1], null)).as("anonymous %s", (Object) call).isEqualTo(401);
            assertThat(TestUsers.status(url, call[0], call[1], "scraper")).as("scraper %s", (Object) call)
                    .isEqualTo(403);
        }
        TestUsers.assertOnlyOperatorsMay(url, "GET", "/nothing-else");
        TestUsers.assertMetricsNeedTheScraper(url);
    }
}
