package dev.choreo.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventHeaders;
import dev.choreo.events.EventJson;
import dev.choreo.events.Topics;
import dev.choreo.messaging.MessagingProperties;
import dev.choreo.messaging.test.KafkaTestClient;
import dev.choreo.messaging.test.PostgresTestDatabase;
import dev.choreo.security.test.TestUsers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * The one configuration every integration test of the service shares (so they share one Spring context): the
 * whole service on a real KRaft broker and a real PostgreSQL database, driven through Kafka with a raw client
 * and observed through its REST API, the topics and, where that says more, SQL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        TestUsers.CUSTOMER_PASSWORD, TestUsers.OPERATOR_PASSWORD, TestUsers.SCRAPER_PASSWORD,
        "choreo.messaging.retry.attempts=3",
        "choreo.messaging.retry.initial-backoff=50ms",
        "choreo.inventory.metrics.stock-refresh-interval=200ms",
        // messaging-starter's test-jar also carries its own test app's db/migration/V1__handled_order.sql, which
        // would clash with this service's V1 on the classpath: read this module's migrations from its sources
        "spring.flyway.locations=filesystem:src/main/resources/db/migration"})
@EmbeddedKafka(brokerProperties = "auto.create.topics.enable=false")
abstract class InventoryServiceTestSupport {

    static final String GROUP = "inventory-service";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabase::url);
        registry.add("spring.datasource.username", () -> PostgresTestDatabase.USER);
    }

    /** Created once per test run, however often the property is read. */
    private static final class TestDatabase {
        private static final String URL = PostgresTestDatabase.recreate("test_inventory_service");

        static String url() {
            return URL;
        }
    }

    @Autowired
    JdbcClient jdbc;
    @Autowired
    MessagingProperties messaging;
    @Value("${spring.embedded.kafka.brokers}")
    String brokers;
    @Value("${local.server.port}")
    int port;

    KafkaTestClient kafka;
    RestClient api;

    @BeforeEach
    void connect() {
        kafka = new KafkaTestClient(brokers);
        api = RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("Authorization", TestUsers.basic("operator")).build();
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    // --- driving the service -------------------------------------------------------------------------------

    /** Sends the envelopes, in order, and waits until the service has handled them and published the outcome. */
    List<RecordMetadata> sendAndAwait(EventEnvelope<?>... envelopes) {
        List<RecordMetadata> sent = Arrays.stream(envelopes).map(kafka::send).toList();
        awaitHandled(sent);
        return sent;
    }

    /**
     * Waits until inventory's consumer group has committed past every given record (so each was handled, or
     * dead-lettered, and its transaction committed) and the outbox holds nothing unsent (so every event those
     * records caused is on its topic). After this, what is not on a topic was not published.
     */
    void awaitHandled(List<RecordMetadata> records) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            kafka.assertConsumed(GROUP, records);
            // the relay deletes a row once Kafka acknowledged it: every row left is unsent (dead letters included)
            assertThat(jdbc.sql("SELECT count(*) FROM outbox_record")
                    .query(Long.class).single()).as("unsent outbox entries").isZero();
        });
    }

    /** An order id whose records land on the same partition as {@code orderId}'s (a different order). */
    String orderIdOnSamePartitionAs(String orderId) {
        int partition = partitionOf(orderId);
        String candidate;
        do {
            candidate = "ord-" + UUID.randomUUID();
        } while (partitionOf(candidate) != partition);
        return candidate;
    }

    int partitionOf(String key) {
        // Kafka's default partitioner for keyed records
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % messaging.partitions();
    }

    // --- what it published ---------------------------------------------------------------------------------

    /** The events inventory published for the order, in topic order. */
    List<EventEnvelope<?>> inventoryEventsOf(String orderId) {
        return kafka.readAll(Topics.INVENTORY_EVENTS).stream()
                .filter(r -> orderId.equals(r.key()))
                .<EventEnvelope<?>>map(r -> EventJson.read(r.value()))
                .toList();
    }

    List<String> inventoryEventTypesOf(String orderId) {
        return inventoryEventsOf(orderId).stream().map(EventEnvelope::eventType).toList();
    }

    List<ConsumerRecord<String, byte[]>> deadLettersOf(String topic, String key) {
        return kafka.readAll(Topics.deadLetterOf(topic)).stream().filter(r -> key.equals(r.key())).toList();
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        return KafkaTestClient.header(record, name);
    }

    static String eventTypeOf(ConsumerRecord<?, ?> record) {
        return header(record, EventHeaders.EVENT_TYPE);
    }

    // --- its state -----------------------------------------------------------------------------------------

    /** A fresh product of the test's own, so tests do not share stock. */
    String givenProduct(int units) {
        String sku = "T-" + UUID.randomUUID().toString().substring(0, 13).toUpperCase();
        jdbc.sql("INSERT INTO product (sku, name, price, currency) VALUES (?, ?, ?, 'EUR')")
                .params(sku, "Test product " + sku, new BigDecimal("10.00")).update();
        jdbc.sql("INSERT INTO stock (sku, stocked, available, reserved, shipped) VALUES (?, ?, ?, 0, 0)")
                .params(sku, units, units).update();
        return sku;
    }

    ProductStock stock(String sku) {
        return api.get().uri("/products/{sku}", sku).retrieve().body(ProductStock.class);
    }

    /** The invariant of every path: every unit stocked is available, reserved or shipped. */
    void assertStockConserved(String... skus) {
        for (String sku : skus) {
            ProductStock stock = stock(sku);
            assertThat(stock.available() + stock.reserved() + stock.shipped())
                    .as("available + reserved + shipped of %s", sku).isEqualTo(stock.stocked());
            assertThat(stock.available()).as("available of %s", sku).isNotNegative();
            assertThat(stock.reserved()).as("reserved of %s", sku).isNotNegative();
        }
    }

    ReservationView reservation(String orderId) {
        return api.get().uri("/reservations/{orderId}", orderId).retrieve().body(ReservationView.class);
    }

    /** GET whatever the status, for error responses. */
    Response get(String path, Object... variables) {
        return api.get().uri(path, variables).exchange((request, response) -> {
            try {
                return new Response(response.getStatusCode(), response.getHeaders().getContentType(),
                        new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    record Response(HttpStatusCode status, MediaType contentType, String body) {
    }

    record ProductStock(String sku, String name, BigDecimal price, String currency, int available, int reserved,
            int shipped, int stocked) {
    }

    record ReservationView(String orderId, String reservationId, String status, String reason,
            String correlationId, List<Line> lines, List<String> unavailableSkus) {

        record Line(String sku, long quantity) {
        }
    }
}
