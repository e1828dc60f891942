package dev.choreo.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventJson;
import dev.choreo.events.Topics;
import dev.choreo.events.catalogue.ProductCatalogued;
import dev.choreo.messaging.kafka.DeadLetterReason;
import dev.choreo.messaging.test.KafkaTestClient;
import dev.choreo.messaging.test.PostgresTestDatabase;
import dev.choreo.security.test.TestUsers;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * order-service is not ready before it can price orders. The catalogue topic holds many products before the service
 * starts, the one ordered here written last, behind all the others on one partition: readiness stays OUT_OF_SERVICE
 * while the replica has not read them, and an order placed the moment it turns UP is accepted. (Before readiness
 * waited for the replica, it was UP as soon as the application had started, and that order got 422 unknown SKU.)
 * Hostile records among them (a huge exponent, a 10 MB name, deep nesting) go to the dead-letter topic: they stay on
 * the compacted topic for good, and must never keep a starting service from getting ready.
 */
class CatalogueReadinessTest {

    private static final int PRODUCTS_BEFORE = 300;
    private static final String ORDERED_SKU = "SKU-WRITTEN-LAST";

    /** Records on the compacted topic that no producer of ours could write; each would stay there for good. */
    private static final Map<String, String> HOSTILE_PRODUCTS = hostileProducts();

    private final HttpClient http = HttpClient.newHttpClient();
    private EmbeddedKafkaKraftBroker broker;

    /** The @EmbeddedKafka tests' broker, which every broker started sets as spring.embedded.kafka.brokers. */
    private String sharedBrokers;

    @BeforeEach
    void startBroker() {
        sharedBrokers = System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(Map.of("auto.create.topics.enable", "false"));
        broker.brokerListProperty("choreo.catalogue-readiness-test.brokers");
        broker.afterPropertiesSet();
    }

    @AfterEach
    void stopBroker() {
        broker.destroy();
        // afterPropertiesSet pointed spring.embedded.kafka.brokers at this broker whatever brokerListProperty says:
        // the @EmbeddedKafka tests that run after this one in the JVM must find theirs again
        if (sharedBrokers == null) {
            System.clearProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
        } else {
            System.setProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS, sharedBrokers);
        }
    }

    @Test
    void notReadyUntilTheReplicaHasReadTheCatalogueThenAcceptsAnOrderForTheLastProductAtOnce() throws Exception {
        String bootstrapServers = broker.getBrokersAsString();
        // the topic as inventory-service leaves it, already filled when order-service starts
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            // a topic that accepts 10 MB records, as a misconfigured one would: the service must not
            admin.createTopics(List.of(new NewTopic(Topics.PRODUCT_CATALOGUE, 6, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(11 * 1024 * 1024)))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        try (var kafka = new KafkaTestClient(bootstrapServers, 11 * 1024 * 1024)) {
            for (int i = 0; i < PRODUCTS_BEFORE; i++) {
                kafka.sendAsync(product("SKU-FILLER-" + i), 0);
                if (i == PRODUCTS_BEFORE / 2) {
                    kafka.flush();
                    HOSTILE_PRODUCTS.forEach((sku, json) -> kafka.sendRaw(Topics.PRODUCT_CATALOGUE, 0, sku,
                            json.getBytes(StandardCharsets.UTF_8), Map.of()));
                }
            }
            kafka.sendAsync(product(ORDERED_SKU), 0);
            kafka.flush();
        }

        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(OrderApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + PostgresTestDatabase.recreate("test_order_catalogue_readiness"),
                "--spring.datasource.username=" + PostgresTestDatabase.USER,
                "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--" + TestUsers.OPERATOR_PASSWORD,
                // see OrderServiceIntegrationTest: messaging-starter's test-jar carries a clashing V1 migration
                "--spring.flyway.locations=filesystem:src/main/resources/db/migration")) {
            String base = "http://127.0.0.1:" + ((WebServerApplicationContext) service).getWebServer().getPort();
            JdbcClient jdbc = service.getBean(JdbcClient.class);
            AtomicBoolean seenWaitingForTheReplica = new AtomicBoolean();

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> {
                HttpResponse<String> readiness = get(base + "/actuator/health/readiness");
                if (readiness.statusCode() == 200) {
                    return true;
                }
                assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(503);
                if (readiness.body().contains("catalogueReplica")) {
                    seenWaitingForTheReplica.set(true);
                }
                return false;
            });
            HttpResponse<String> placed = post(base + "/orders", orderFor(ORDERED_SKU));

            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
            assertThat(seenWaitingForTheReplica).as("readiness named the catalogue replica while it was reading")
                    .isTrue();
            assertThat(jdbc.sql("SELECT count(*) FROM catalogue_product").query(Long.class).single())
                    .as("products in the replica once ready").isEqualTo(PRODUCTS_BEFORE + 1L);
            try (var kafka = new KafkaTestClient(bootstrapServers)) {
                await().untilAsserted(() -> assertThat(kafka.readAll(Topics.deadLetterOf(Topics.PRODUCT_CATALOGUE)))
                        .extracting(r -> r.key() + ": " + KafkaTestClient.header(r, DeadLetterReason.HEADER))
                        .containsExactly("SKU-HUGE-EXPONENT: INVALID_PAYLOAD", "SKU-HUGE-NAME: TOO_LARGE",
                                "SKU-DEEP: TOO_LARGE"));
            }
        }
    }

    private static Map<String, String> hostileProducts() {
        Map<String, String> hostile = new java.util.LinkedHashMap<>();
        String json = EventJson.writeString(product("SKU-HOSTILE"));
        hostile.put("SKU-HUGE-EXPONENT", json.replace("\"price\":19.90", "\"price\":1e999999999"));
        hostile.put("SKU-HUGE-NAME", json.replace("\"Product SKU-HOSTILE\"",
                "\"" + "x".repeat(10 * 1024 * 1024) + "\""));
        hostile.put("SKU-DEEP", json.replace("\"payload\":{", "\"x\":" + "[".repeat(5_000) + "]".repeat(5_000)
                + ",\"payload\":{"));
        return hostile;
    }

    private static EventEnvelope<ProductCatalogued> product(String sku) {
        return EventEnvelope.inProcess("catalogue", new ProductCatalogued(sku, "Product " + sku,
                new BigDecimal("19.90"), "EUR"), "inventory-service", Clock.systemUTC());
    }

    private static String orderFor(String sku) {
        return """
                {"customerId": "c-ready", "items": [{"sku": "%s", "quantity": 1}],
                 "paymentToken": "tok_visa",
                 "shippingAddress": {"name": "Ada Lovelace", "street": "Main St 1", "city": "Helsinki",
                                     "postalCode": "00100", "country": "FI"}}""".formatted(sku);
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").header("Authorization", TestUsers.basic("operator"))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
