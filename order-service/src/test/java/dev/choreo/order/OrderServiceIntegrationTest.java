package dev.choreo.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import dev.choreo.events.catalogue.ProductCatalogued;
import dev.choreo.messaging.test.KafkaTestClient;
import dev.choreo.messaging.test.OrderEvents;
import dev.choreo.messaging.test.PostgresTestDatabase;
import dev.choreo.security.test.TestUsers;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * order-service as it runs: a real KRaft broker (the service creates its topics), a real PostgreSQL database,
 * real HTTP. Every test class extends this one with the same configuration, so they share one application
 * context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    TestUsers.CUSTOMER_PASSWORD, TestUsers.OPERATOR_PASSWORD, TestUsers.SCRAPER_PASSWORD,
    // messaging-starter's test-jar also carries its own test app's db/migration/V1__handled_order.sql, which
    // clashes with this service's V1 on the classpath; read this module's migrations from its sources instead
    // until the test-jar ships only dev/choreo/messaging/test/**
    "spring.flyway.locations=filesystem:src/main/resources/db/migration",
    "choreo.messaging.retry.initial-backoff=50ms"})
@EmbeddedKafka(brokerProperties = "auto.create.topics.enable=false")
abstract class OrderServiceIntegrationTest {

    static final String CONSUMER_GROUP = "order-service";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> PostgresTestDatabase.recreate("test_order_service"));
        registry.add("spring.datasource.username", () -> PostgresTestDatabase.USER);
    }

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;
    @Value("${local.server.port}")
    int port;
    @Autowired
    JdbcClient jdbc;

    KafkaTestClient kafka;
    RestClient http;

    @BeforeEach
    void connect() {
        kafka = new KafkaTestClient(brokers);
        http = RestClient.builder()
                .baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("Authorization", TestUsers.basic("operator"))
                // the tests look at every status themselves
                .defaultStatusHandler(status -> true, (request, response) -> {
                })
                .build();
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    /** Publishes a product as inventory does, and waits until the replica has it. */
    void catalogue(String sku, String price) {
        catalogue(sku, price, "EUR");
    }

    void catalogue(String sku, String price, String currency) {
        kafka.send(EventEnvelope.inProcess("catalogue", new ProductCatalogued(sku, "Product " + sku,
                new BigDecimal(price), currency), "inventory-service", Clock.systemUTC()));
        await().untilAsserted(() -> assertThat(jdbc.sql(
                        "SELECT price FROM catalogue_product WHERE sku = ? AND currency = ?")
                .params(sku, currency).query(BigDecimal.class).optional())
                .hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo(price)));
    }

    /** A valid order body for one unit of each SKU, to be changed by the test. */
    static ObjectNode orderBody(String customerId, String... skus) {
        ObjectNode body = JSON.createObjectNode().put("customerId", customerId);
        ArrayNode items = body.putArray("items");
        for (String sku : skus) {
            items.addObject().put("sku", sku).put("quantity", 1);
        }
        body.put("paymentToken", OrderEvents.CHARGED_TOKEN);
        body.putObject("shippingAddress").put("name", "Ada Lovelace").put("street", "Main St 1")
                .put("city", "Helsinki").put("postalCode", "00100").put("country", "FI");
        return body;
    }

    ResponseEntity<String> post(String uri, String body, MediaType contentType) {
        var request = http.post().uri(uri);
        if (contentType != null) {
            request.contentType(contentType);
        }
        if (body != null) {
            request.body(body);
        }
        return request.retrieve().toEntity(String.class);
    }

    ResponseEntity<String> placeOrder(JsonNode body) {
        return post("/orders", JSON.writeValueAsString(body), MediaType.APPLICATION_JSON);
    }

    /** Places an order of one unit of each SKU and returns the created order. */
    JsonNode placedOrder(String customerId, String... skus) {
        ResponseEntity<String> response = placeOrder(orderBody(customerId, skus));
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(201);
        return json(response);
    }

    ResponseEntity<String> get(String uri, Object... variables) {
        return http.get().uri(uri, variables).retrieve().toEntity(String.class);
    }

    /** The order as the API shows it; fails unless it exists. */
    JsonNode order(String orderId) {
        ResponseEntity<String> response = get("/orders/{orderId}", orderId);
        assertThat(response.getStatusCode().value()).as("GET /orders/%s", orderId).isEqualTo(200);
        return json(response);
    }

    String status(String orderId) {
        return order(orderId).get("status").asString();
    }

    /** The event types in the order's history, oldest first. */
    List<String> history(String orderId) {
        return order(orderId).get("history").valueStream().map(entry -> entry.get("eventType").asString()).toList();
    }

    static JsonNode json(ResponseEntity<String> response) {
        return JSON.readTree(response.getBody());
    }

    /** What order-service published about the order. */
    List<EventEnvelope<?>> orderEvents(String eventType, String orderId) {
        return kafka.events(eventType, Topics.ORDER_EVENTS).stream()
                .filter(e -> e.key().equals(orderId))
                .toList();
    }

    /**
     * Waits until order-service's consumer group has committed past {@code sent}: it and everything before it
     * on its partition were handled (or dead-lettered). The way to assert that something did <em>not</em>
     * happen without sleeping.
     */
    void awaitConsumed(RecordMetadata sent) {
        await().untilAsserted(() -> kafka.assertConsumed(CONSUMER_GROUP, List.of(sent)));
    }

    static void assertProblem(ResponseEntity<String> response, int status) {
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).as("content type").isNotNull();
        assertThat(response.getHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .as("content type %s", response.getHeaders().getContentType()).isTrue();
        assertThat(json(response).get("status").asInt()).isEqualTo(status);
        assertThat(json(response).get("title").asString()).isNotBlank();
    }
}
