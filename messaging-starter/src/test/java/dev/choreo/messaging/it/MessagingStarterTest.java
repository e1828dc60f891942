package dev.choreo.messaging.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventCatalog;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventHeaders;
import dev.choreo.events.EventJson;
import dev.choreo.events.Limits;
import dev.choreo.events.Topics;
import dev.choreo.events.order.OrderCancelled;
import dev.choreo.events.order.OrderLine;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.order.PaymentMethod;
import dev.choreo.events.order.ShippingAddress;
import dev.choreo.messaging.kafka.DeadLetterReason;
import dev.choreo.messaging.test.KafkaTestClient;
import dev.choreo.messaging.test.PostgresTestDatabase;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(properties = "spring.threads.virtual.enabled=true")
@EmbeddedKafka(brokerProperties = "auto.create.topics.enable=false")
class MessagingStarterTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> PostgresTestDatabase.recreate("test_messaging_starter"));
        registry.add("spring.datasource.username", () -> PostgresTestDatabase.USER);
    }

    @Autowired
    MessagingTestApplication.OrderPlacing placing;
    @Autowired
    MessagingTestApplication.Reactions reactions;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;
    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    KafkaTestClient kafka;

    @BeforeEach
    void connect() {
        kafka = new KafkaTestClient(brokers);
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    @Test
    void publishesThroughTheOutboxKeyedByOrderWithRoutingHeaders() {
        EventEnvelope<OrderPlaced> placed = placing.place(order("ord-outbox"));

        await().untilAsserted(() -> assertThat(recordsOf(placed.eventId(), Topics.ORDER_EVENTS)).hasSize(1));
        ConsumerRecord<String, byte[]> record = recordsOf(placed.eventId(), Topics.ORDER_EVENTS).get(0);
        assertThat(record.key()).isEqualTo("ord-outbox");
        assertThat(KafkaTestClient.header(record, EventHeaders.EVENT_TYPE)).isEqualTo("OrderPlaced");
        assertThat(KafkaTestClient.header(record, EventHeaders.CORRELATION_ID)).isEqualTo(placed.correlationId());
        assertThat(KafkaTestClient.header(record, EventHeaders.PRODUCER)).isEqualTo("order-service");
        assertThat(EventJson.read(record.value())).isEqualTo(placed);
        // the reaction carries the same correlation id and names its cause
        await().untilAsserted(() -> assertThat(kafka.events("InventoryUpdated", Topics.INVENTORY_EVENTS))
                .anySatisfy(reaction -> {
                    assertThat(reaction.correlationId()).isEqualTo(placed.correlationId());
                    assertThat(reaction.causationId()).isEqualTo(placed.eventId());
                    assertThat(reaction.key()).isEqualTo("ord-outbox");
                }));
        // a sent record leaves the outbox
        await().untilAsserted(() -> assertThat(jdbc.sql("SELECT count(*) FROM outbox_record")
                .query(Long.class).single()).isZero());
    }

    @Test
    void sendsTheEventsOfOneOrderInTheOrderTheirTransactionsCommitted() {
        List<String> orderIds = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            EventEnvelope<OrderPlaced> placed = placing.place(order("ord-sequence-" + i));
            placing.cancel(placed);
            orderIds.add(placed.payload().orderId());
        }

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(kafka.events("OrderCancelled", Topics.ORDER_EVENTS)
                .stream().filter(e -> e.key().startsWith("ord-sequence-"))).hasSize(100));
        Map<String, List<String>> typesByOrder = new java.util.HashMap<>();
        kafka.readAll(Topics.ORDER_EVENTS).stream().filter(r -> r.key().startsWith("ord-sequence-"))
                .forEach(r -> typesByOrder.computeIfAbsent(r.key(), k -> new java.util.ArrayList<>())
                        .add(KafkaTestClient.header(r, EventHeaders.EVENT_TYPE)));
        orderIds.forEach(orderId -> assertThat(typesByOrder.get(orderId)).as(orderId)
                .containsExactly("OrderPlaced", "OrderCancelled"));
    }

    @Test
    void aFailedSendHoldsBackTheLaterEventsOfItsOrderUntilItSucceeds() throws Exception {
        // the broker refuses every write to order-events (a topic limit below the records' size, as a misconfigured
        // topic would): the relay's sends fail until an operator fixes the topic, and it must send them again
        setTopicConfig(Topics.ORDER_EVENTS, "max.message.bytes", "64");
        List<String> orderIds = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                EventEnvelope<OrderPlaced> placed = placing.place(order("ord-held-" + i));
                placing.cancel(placed);
                orderIds.add(placed.payload().orderId());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> meters.get("choreo.outbox.send.failures").counter()
                    .count() > 0);
            assertThat(kafka.readAll(Topics.ORDER_EVENTS)).noneMatch(r -> r.key().startsWith("ord-held-"));
        } finally {
            setTopicConfig(Topics.ORDER_EVENTS, "max.message.bytes", "1048588");
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(kafka.readAll(Topics.ORDER_EVENTS)
                .stream().filter(r -> r.key().startsWith("ord-held-"))).hasSize(60));
        Map<String, List<String>> typesByOrder = new java.util.HashMap<>();
        kafka.readAll(Topics.ORDER_EVENTS).stream().filter(r -> r.key().startsWith("ord-held-"))
                .forEach(r -> typesByOrder.computeIfAbsent(r.key(), k -> new java.util.ArrayList<>())
                        .add(KafkaTestClient.header(r, EventHeaders.EVENT_TYPE)));
        orderIds.forEach(orderId -> assertThat(typesByOrder.get(orderId)).as(orderId)
                .containsExactly("OrderPlaced", "OrderCancelled"));
        await().untilAsserted(() -> assertThat(kafka.events("InventoryUpdated", Topics.INVENTORY_EVENTS).stream()
                .filter(e -> e.key().startsWith("ord-held-"))).hasSize(30));
    }

    private void setTopicConfig(String topic, String name, String value) throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", brokers))) {
            var resource = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                    new org.apache.kafka.clients.admin.ConfigEntry(name, value),
                    org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).all().get();
        }
    }

    @Test
    void handlesAnExactDuplicateOnlyOnce() {
        EventEnvelope<OrderPlaced> placed = EventEnvelope.startProcess(order("ord-dup"), EventCatalog.ORDER_SERVICE, Clock.systemUTC());
        kafka.send(placed);
        kafka.send(placed);
        kafka.send(placed);

        await().untilAsserted(() -> assertThat(reactionsTo("ord-dup")).isNotEmpty());
        // a later event on the same partition proves the duplicates were all consumed, not just pending
        kafka.send(EventEnvelope.startProcess(order("ord-dup-after"), EventCatalog.ORDER_SERVICE, Clock.systemUTC()));
        await().untilAsserted(() -> assertThat(reactionsTo("ord-dup-after")).isNotEmpty());

        assertThat(reactionsTo("ord-dup")).hasSize(1);
        assertThat(jdbc.sql("SELECT count(*) FROM handled_order WHERE order_id = 'ord-dup'").query(Long.class)
                .single()).isEqualTo(1);
    }

    @Test
    void deadLettersPoisonWithItsCauseAndKeepsThePartitionFlowing() {
        String key = "ord-poison";
        kafka.sendRaw(Topics.ORDER_EVENTS, key, "{not json".getBytes(StandardCharsets.UTF_8),
                Map.of(EventHeaders.CORRELATION_ID, "corr-poison"));
        String unsupportedVersion = new String(EventJson.write(EventEnvelope.startProcess(order(key), "test",
                Clock.systemUTC())), StandardCharsets.UTF_8)
                .replaceFirst("\"schemaVersion\":\\d+", "\"schemaVersion\":99");
        kafka.sendRaw(Topics.ORDER_EVENTS, key, unsupportedVersion.getBytes(StandardCharsets.UTF_8),
                Map.of(EventHeaders.EVENT_TYPE, "OrderPlaced"));
        kafka.send(EventEnvelope.startProcess(order(key), EventCatalog.ORDER_SERVICE, Clock.systemUTC()));

        await().untilAsserted(() -> assertThat(reactionsTo(key)).hasSize(1));
        await().untilAsserted(() -> assertThat(deadLetters(key)).extracting(r -> KafkaTestClient.header(r,
                DeadLetterReason.HEADER)).containsExactly("MALFORMED_JSON", "UNSUPPORTED_SCHEMA_VERSION"));
        ConsumerRecord<String, byte[]> first = deadLetters(key).get(0);
        assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(KafkaTestClient.header(first, "kafka_dlt-original-topic")).isEqualTo(Topics.ORDER_EVENTS);
        assertThat(KafkaTestClient.header(first, "kafka_dlt-original-consumer-group")).isEqualTo("order-service");
        assertThat(KafkaTestClient.header(first, EventHeaders.CORRELATION_ID)).isEqualTo("corr-poison");
        assertThat(first.partition()).as("same partition as the original").isEqualTo(
                kafka.readAll(Topics.ORDER_EVENTS).stream().filter(r -> key.equals(r.key())).findFirst()
                        .orElseThrow().partition());
    }

    @Test
    void ignoresEventTypesNobodyHereReactsToWithoutReadingThem() throws Exception {
        String key = "ord-foreign";
        // a type this service has no handler for, with a body no one could parse: skipped by its header alone
        var foreign = kafka.sendRaw(Topics.ORDER_EVENTS, key, "{from a newer producer".getBytes(StandardCharsets.UTF_8),
                Map.of(EventHeaders.EVENT_TYPE, "OrderTeleported"));
        var cancelled = kafka.send(EventEnvelope.startProcess(new OrderCancelled(key, "why not", "customer"), "test",
                Clock.systemUTC()));
        kafka.send(EventEnvelope.startProcess(order(key), EventCatalog.ORDER_SERVICE, Clock.systemUTC()));

        await().untilAsserted(() -> assertThat(reactionsTo(key)).hasSize(1));
        await().untilAsserted(() -> kafka.assertConsumed("order-service", List.of(foreign, cancelled)));
        assertThat(deadLetters(key)).isEmpty();
    }

    @Test
    void aNewEventTypeInTheMiddleOfTrafficIsIgnoredByAGroupThatDoesNotReactToIt() throws Exception {
        double ignoredBefore = ignored();
        String placedJson = new String(EventJson.write(EventEnvelope.startProcess(order("ord-evolve-template"),
                EventCatalog.ORDER_SERVICE, Clock.systemUTC())), StandardCharsets.UTF_8);
        List<RecordMetadata> newer = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String key = "ord-evolve-" + i;
            kafka.sendAsync(EventEnvelope.startProcess(order(key), EventCatalog.ORDER_SERVICE, Clock.systemUTC()));
            // a type added to order-events by a newer order-service, with its routing header
            newer.add(kafka.sendRaw(Topics.ORDER_EVENTS, key, placedJson.replace("\"OrderPlaced\"",
                    "\"OrderGiftWrapped\"").getBytes(StandardCharsets.UTF_8),
                    Map.of(EventHeaders.EVENT_TYPE, "OrderGiftWrapped")));
            // the same without the header (a producer that does not set it): the JSON names the type
            newer.add(kafka.sendRaw(Topics.ORDER_EVENTS, key, placedJson.replace("\"OrderPlaced\"",
                    "\"OrderGiftWrapped\"").getBytes(StandardCharsets.UTF_8), Map.of()));
            // a second schema version of a type this group does not react to
            newer.add(kafka.sendRaw(Topics.ORDER_EVENTS, key, new String(EventJson.write(EventEnvelope.startProcess(
                    new OrderCancelled(key, "why not", "customer"), EventCatalog.ORDER_SERVICE, Clock.systemUTC())),
                    StandardCharsets.UTF_8).replace("\"schemaVersion\":1", "\"schemaVersion\":2")
                    .getBytes(StandardCharsets.UTF_8), Map.of()));
        }
        kafka.flush();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int i = 0; i < 20; i++) {
                assertThat(reactionsTo("ord-evolve-" + i)).as("ord-evolve-" + i).hasSize(1);
            }
            kafka.assertConsumed("order-service", newer);
        });
        assertThat(kafka.readAll(Topics.deadLetterOf(Topics.ORDER_EVENTS)))
                .noneMatch(r -> r.key().startsWith("ord-evolve-"));
        assertThat(ignored() - ignoredBefore).isEqualTo(60);
    }

    @Test
    void deadLettersHostileRecordsWithTheirReasonAndHandlesTheNextRecord() throws Exception {
        String key = "ord-hostile";
        String json = new String(EventJson.write(EventEnvelope.startProcess(order(key), EventCatalog.ORDER_SERVICE, Clock.systemUTC())),
                StandardCharsets.UTF_8);
        String line = "{\"sku\":\"SKU-1\",\"quantity\":2,\"unitPrice\":10.00}";
        assertThat(json).contains("\"total\":20.00", "\"Helsinki\"", "[" + line + "]");
        List<String> hostile = List.of(
                json.replace("\"total\":20.00", "\"total\":1e999999999"),
                json.replace("\"Helsinki\"", "\"" + "x".repeat(10 * 1024 * 1024) + "\""),
                json.replace("\"payload\":{", "\"addedLater\":" + "[".repeat(5_000) + "]".repeat(5_000)
                        + ",\"payload\":{"),
                json.replace("[" + line + "]", "[" + String.join(",", java.util.Collections.nCopies(10_000, line))
                        + "]"));
        // the topic accepts 10 MB, as a misconfigured one would: the service must not
        setTopicConfig(Topics.ORDER_EVENTS, "max.message.bytes", Integer.toString(11 * 1024 * 1024));
        try (var large = new KafkaTestClient(brokers, 11 * 1024 * 1024)) {
            hostile.forEach(value -> large.sendRaw(Topics.ORDER_EVENTS, key, value.getBytes(StandardCharsets.UTF_8),
                    Map.of(EventHeaders.EVENT_TYPE, "OrderPlaced")));
        }
        kafka.send(EventEnvelope.startProcess(order(key), EventCatalog.ORDER_SERVICE, Clock.systemUTC()));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(reactionsTo(key)).hasSize(1));
        await().untilAsserted(() -> assertThat(deadLetters(key)).extracting(r -> KafkaTestClient.header(r,
                DeadLetterReason.HEADER)).containsExactly("INVALID_PAYLOAD", "TOO_LARGE", "TOO_LARGE", "TOO_LARGE"));
        List<ConsumerRecord<String, byte[]>> deadLetters = deadLetters(key);
        assertThat(KafkaTestClient.header(deadLetters.get(0), "kafka_dlt-exception-message"))
                .contains("total must not exceed " + Limits.MAX_AMOUNT_TEXT);
        // the 10 MB value keeps its first bytes in the dead letter, and says how large it was
        assertThat(deadLetters.get(1).value()).hasSize(Limits.MAX_EVENT_BYTES);
        assertThat(KafkaTestClient.header(deadLetters.get(1), "dlt-original-value-bytes"))
                .isEqualTo(Integer.toString(hostile.get(1).length()));
        assertThat(KafkaTestClient.header(deadLetters.get(2), "kafka_dlt-exception-message")).contains("nesting");
        assertThat(KafkaTestClient.header(deadLetters.get(3), "kafka_dlt-exception-message"))
                .contains("Document length");
    }

    private double ignored() {
        return meters.find("choreo.inbox.events").tag("outcome", "ignored").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    @Test
    void aPoisonRecordInAMultiPartitionBatchIsDeadLetteredAloneAndEveryOtherRecordHandledOnce() {
        List<String> good = new java.util.ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String orderId = i == 57 ? "fail-in-batch" : "ord-batch-" + i;
            kafka.sendAsync(EventEnvelope.startProcess(order(orderId), EventCatalog.ORDER_SERVICE, Clock.systemUTC()));
            if (i != 57) {
                good.add(orderId);
            }
        }
        kafka.flush();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(deadLetters("fail-in-batch"))
                .singleElement().satisfies(r -> assertThat(KafkaTestClient.header(r, DeadLetterReason.HEADER))
                        .isEqualTo("HANDLER_FAILED: IllegalStateException")));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, Long> reactions = kafka.events("InventoryUpdated", Topics.INVENTORY_EVENTS).stream()
                    .filter(e -> e.key().startsWith("ord-batch-") || e.key().equals("fail-in-batch"))
                    .collect(java.util.stream.Collectors.groupingBy(EventEnvelope::key,
                            java.util.stream.Collectors.counting()));
            assertThat(reactions.keySet()).containsExactlyInAnyOrderElementsOf(good);
            assertThat(reactions.values()).allMatch(count -> count == 1);
        });
        assertThat(jdbc.sql("SELECT count(*) FROM handled_order WHERE order_id LIKE 'ord-batch-%'")
                .query(Long.class).single()).isEqualTo(good.size());
        assertThat(reactions.attempts.get("fail-in-batch")).hasValue(3);
    }

    @Test
    void retriesATransientFailureUntilItPassesAndNeverDeadLettersIt() {
        kafka.send(EventEnvelope.startProcess(order("flaky-4-a"), EventCatalog.ORDER_SERVICE, Clock.systemUTC()));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(reactionsTo("flaky-4-a")).hasSize(1));
        assertThat(reactions.attempts.get("flaky-4-a")).hasValue(5);
        assertThat(reactions.committed.get("flaky-4-a")).as("counted after commit once").hasValue(1);
        assertThat(deadLetters("flaky-4-a")).isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM handled_order WHERE order_id = 'flaky-4-a'").query(Long.class)
                .single()).isEqualTo(1);
        assertThat(meters.get("choreo.inbox.transient.failures").counter().count()).isGreaterThanOrEqualTo(4);
        await().untilAsserted(() -> assertThat(meters.get("choreo.inbox.paused").gauge().value()).isZero());
    }

    @Test
    void deadLettersAFailingHandlerAfterBoundedRetriesWithoutItsEffects() {
        kafka.send(EventEnvelope.startProcess(order("fail-1"), EventCatalog.ORDER_SERVICE, Clock.systemUTC()));
        kafka.send(EventEnvelope.startProcess(order("ord-after-failure"), EventCatalog.ORDER_SERVICE, Clock.systemUTC()));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(deadLetters("fail-1")).singleElement().satisfies(r -> {
                    assertThat(KafkaTestClient.header(r, DeadLetterReason.HEADER))
                            .isEqualTo("HANDLER_FAILED: IllegalStateException");
                    assertThat(KafkaTestClient.header(r, "kafka_dlt-exception-message"))
                            .contains("simulated handler failure");
                }));
        await().untilAsserted(() -> assertThat(reactionsTo("ord-after-failure")).hasSize(1));
        assertThat(reactionsTo("fail-1")).isEmpty();
        assertThat(reactions.attempts.get("fail-1")).as("bounded attempts").hasValue(3);
        assertThat(reactions.committed.get("fail-1")).as("after-commit work of rolled-back attempts").isNull();
        assertThat(jdbc.sql("SELECT count(*) FROM handled_order WHERE order_id = 'fail-1'").query(Long.class)
                .single()).isZero();
    }

    private List<ConsumerRecord<String, byte[]>> recordsOf(UUID eventId, String topic) {
        return kafka.readAll(topic).stream()
                .filter(r -> eventId.toString().equals(KafkaTestClient.header(r, EventHeaders.EVENT_ID))).toList();
    }

    private List<EventEnvelope<?>> reactionsTo(String orderId) {
        return kafka.events("InventoryUpdated", Topics.INVENTORY_EVENTS).stream()
                .filter(e -> e.key().equals(orderId)).toList();
    }

    private List<ConsumerRecord<String, byte[]>> deadLetters(String key) {
        return kafka.readAll(Topics.deadLetterOf(Topics.ORDER_EVENTS)).stream()
                .filter(r -> key.equals(r.key())).toList();
    }

    private static OrderPlaced order(String orderId) {
        return new OrderPlaced(orderId, "c-42", List.of(new OrderLine("SKU-1", 2, new BigDecimal("10.00"))),
                new BigDecimal("20.00"), "EUR", new PaymentMethod("tok_visa"),
                new ShippingAddress("Ada", "Main St 1", "Helsinki", "00100", "FI"));
    }
}
