package dev.choreo.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import dev.choreo.messaging.test.KafkaTestClient;
import dev.choreo.messaging.test.PostgresTestDatabase;
import dev.choreo.security.test.TestUsers;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.Awaitility;
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

/**
 * The one configuration of every integration test, so they all share one application context: the service as it
 * runs, on a real Kafka broker (embedded KRaft; the service creates its topics) and a real PostgreSQL database.
 * Tests drive it with raw Kafka records and look at what it published, at its REST API over HTTP and, where it
 * helps, at its tables. Every test works on its own orders, so the tests do not depend on each other. The payment
 * gateway is the simulated one behind {@link FlakyPaymentGateway}, which a test can make unreachable for a while.
 */
@SpringBootTest(classes = {PaymentApplication.class, FlakyPaymentGateway.Configuration.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        TestUsers.CUSTOMER_PASSWORD, TestUsers.OPERATOR_PASSWORD, TestUsers.SCRAPER_PASSWORD,
        "choreo.messaging.retry.initial-backoff=50ms",
        "choreo.messaging.retry.transient-backoff=100ms",
        // messaging-starter's test-jar also carries its own test app's db/migration/V1__handled_order.sql, which
        // clashes with this service's V1 on the classpath; read this module's migrations from its sources instead
        // until the test-jar ships only dev/choreo/messaging/test/**
        "spring.flyway.locations=filesystem:src/main/resources/db/migration",
        // the embedded broker and the clients are chatty at INFO
        "logging.level.kafka=WARN", "logging.level.org.apache.kafka=WARN"})
@EmbeddedKafka(brokerProperties = "auto.create.topics.enable=false")
abstract class PaymentServiceIntegration {

    static {
        // the first test waits for the consumer group to form
        Awaitility.setDefaultTimeout(Duration.ofSeconds(30));
        Awaitility.setDefaultPollInterval(Duration.ofMillis(200));
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> PostgresTestDatabase.recreate("test_payment_service"));
        registry.add("spring.datasource.username", () -> PostgresTestDatabase.USER);
    }

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;
    @Value("${local.server.port}")
    int port;
    @Value("${spring.application.name}")
    String consumerGroup;
    @Autowired
    protected JdbcClient jdbc;
    @Autowired
    protected MeterRegistry meters;

    protected KafkaTestClient kafka;
    protected RestClient http;

    @BeforeEach
    void connect() {
        kafka = new KafkaTestClient(brokers);
        http = RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("Authorization", TestUsers.basic("operator")).build();
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    /** Sends each envelope as a raw record, in the given order. */
    protected List<RecordMetadata> send(EventEnvelope<?>... envelopes) {
        return Arrays.stream(envelopes).map(kafka::send).toList();
    }

    /** The events of {@code type} payment-service published for the order. */
    protected List<EventEnvelope<?>> published(String type, String orderId) {
        return kafka.events(type, Topics.PAYMENT_EVENTS).stream().filter(e -> e.key().equals(orderId)).toList();
    }

    /**
     * Waits until payment-service's consumer group has committed past every given record (it has handled them) and
     * its outbox holds nothing unsent (every event they caused is on its topic).
     */
    protected void awaitHandled(List<RecordMetadata> records) {
        await().untilAsserted(() -> {
            kafka.assertConsumed(consumerGroup, records);
            // the gateway is called after the commit: a payment still CHARGING or REFUNDING waits for its answer
            assertThat(jdbc.sql("SELECT count(*) FROM payment WHERE status IN ('CHARGING', 'REFUNDING')")
                    .query(Long.class).single()).as("payments waiting for the gateway").isZero();
            // the relay deletes a row once Kafka acknowledged it: every row left is unsent
            assertThat(jdbc.sql("SELECT count(*) FROM outbox_record").query(Long.class).single())
                    .as("unsent outbox entries").isZero();
        });
    }

    /** GET on the service, whatever the status: the body is JSON (a payment, a list or a problem detail). */
    protected ResponseEntity<JsonNode> get(String uri, Object... variables) {
        return http.get().uri(uri, variables)
                .retrieve()
                .onStatus(status -> true, (request, response) -> {
                })
                .toEntity(JsonNode.class);
    }

    /** The payment of the order from GET /payments/{orderId}; fails unless it exists. */
    protected JsonNode payment(String orderId) {
        ResponseEntity<JsonNode> response = get("/payments/{orderId}", orderId);
        assertThat(response.getStatusCode().value()).as("GET /payments/%s", orderId).isEqualTo(200);
        return response.getBody();
    }

    /** A field of the order's payment (GET /payments/{orderId}); null while there is none or the field is null. */
    protected String paymentField(String orderId, String field) {
        ResponseEntity<JsonNode> response = get("/payments/{orderId}", orderId);
        return response.getStatusCode().value() == 200 ? text(response.getBody(), field) : null;
    }

    protected static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    protected double paymentsCounted(String outcome) {
        var counter = meters.find("choreo.payments").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
