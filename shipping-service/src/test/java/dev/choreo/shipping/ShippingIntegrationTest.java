package dev.choreo.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import dev.choreo.messaging.test.KafkaTestClient;
import dev.choreo.messaging.test.PostgresTestDatabase;
import dev.choreo.security.test.TestUsers;
import java.util.List;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service as it runs: a real KRaft broker (the service creates its topics), a real PostgreSQL database, real
 * HTTP. Every test class extends this one with the same configuration, so they share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    TestUsers.CUSTOMER_PASSWORD, TestUsers.OPERATOR_PASSWORD, TestUsers.SCRAPER_PASSWORD,
    // messaging-starter's test-jar also carries its own test app's db/migration/V1__handled_order.sql, which
    // clashes with this service's V1 on the classpath; read this module's migrations from its sources instead
    // until the test-jar ships only dev/choreo/messaging/test/**
    "spring.flyway.locations=filesystem:src/main/resources/db/migration"})
@EmbeddedKafka(brokerProperties = "auto.create.topics.enable=false")
abstract class ShippingIntegrationTest {

    static final String CONSUMER_GROUP = "shipping-service";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> PostgresTestDatabase.recreate("test_shipping_service"));
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

    ResponseEntity<String> get(String uri, Object... variables) {
        return http.get().uri(uri, variables).retrieve().toEntity(String.class);
    }

    static JsonNode json(ResponseEntity<String> response) {
        return JSON.readTree(response.getBody());
    }

    /** The order's shipment as the API shows it; fails while there is none. */
    JsonNode shipment(String orderId) {
        ResponseEntity<String> response = get("/shipments/{orderId}", orderId);
        assertThat(response.getStatusCode().value()).as("GET /shipments/%s", orderId).isEqualTo(200);
        return json(response);
    }

    /** What shipping published about the order. */
    List<EventEnvelope<?>> shippingEvents(String eventType, String orderId) {
        return kafka.events(eventType, Topics.SHIPPING_EVENTS).stream()
                .filter(e -> e.key().equals(orderId))
                .toList();
    }

    /**
     * Waits until shipping's consumer group has committed past {@code sent}: it and everything before it on its
     * partition were handled (or dead-lettered). The way to assert that something did <em>not</em> happen
     * without sleeping.
     */
    void awaitConsumed(RecordMetadata sent) {
        await().untilAsserted(() -> kafka.assertConsumed(CONSUMER_GROUP, List.of(sent)));
    }
}
