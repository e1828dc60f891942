package dev.choreo.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import dev.choreo.events.catalogue.ProductCatalogued;
import dev.choreo.messaging.test.KafkaTestClient;
import dev.choreo.messaging.test.PostgresTestDatabase;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * order-service is not ready before it can price orders. The catalogue topic holds many products before the service
 * starts, the one ordered here written last, behind all the others on one partition: readiness stays OUT_OF_SERVICE
 * while the replica has not read them, and an order placed the moment it turns UP is accepted. (Before readiness
 * waited for the replica, it was UP as soon as the application had started, and that order got 422 unknown SKU.)
 */
class CatalogueReadinessTest {

    private static final int PRODUCTS_BEFORE = 300;
    private static final String ORDERED_SKU = "SKU-WRITTEN-LAST";

    private final HttpClient http = HttpClient.newHttpClient();
    private EmbeddedKafkaKraftBroker broker;

    @BeforeEach
    void startBroker() {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(Map.of("auto.create.topics.enable", "false"));
        // keep the system property that the @EmbeddedKafka tests of this JVM use untouched
        broker.brokerListProperty("choreo.catalogue-readiness-test.brokers");
        broker.afterPropertiesSet();
    }

    @AfterEach
    void stopBroker() {
        broker.destroy();
    }

    @Test
    void notReadyUntilTheReplicaHasReadTheCatalogueThenAcceptsAnOrderForTheLastProductAtOnce() throws Exception {
        String bootstrapServers = broker.getBrokersAsString();
        // the topic as inventory-service leaves it, already filled when order-service starts
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(Topics.PRODUCT_CATALOGUE, 6, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        try (var kafka = new KafkaTestClient(bootstrapServers)) {
            for (int i = 0; i < PRODUCTS_BEFORE; i++) {
                kafka.sendAsync(product("SKU-FILLER-" + i), 0);
            }
            kafka.sendAsync(product(ORDERED_SKU), 0);
            kafka.flush();
        }

        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(OrderApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + PostgresTestDatabase.recreate("test_order_catalogue_readiness"),
                "--spring.datasource.username=" + PostgresTestDatabase.USER,
                "--spring.kafka.bootstrap-servers=" + bootstrapServers,
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
        }
    }

    private static EventEnvelope<ProductCatalogued> product(String sku) {
        return EventEnvelope.inProcess("catalogue", new ProductCatalogued(sku, "Product " + sku,
                new BigDecimal("19.90"), "EUR"), "inventory-service", Clock.systemUTC());
    }

    private static String orderFor(String sku) {
        return """
                {"customerId": "c-ready", "items": [{"sku": "%s", "quantity": 1}],
                 "payment": {"cardNumber": "4242424242424242"},
                 "shippingAddress": {"name": "Ada Lovelace", "street": "Main St 1", "city": "Helsinki",
                                     "postalCode": "00100", "country": "FI"}}""".formatted(sku);
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
