package dev.choreo.collector.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.collector.CollectorApplication;
import dev.choreo.collector.CollectorHeaders;
import dev.choreo.collector.CollectorTestSupport;
import dev.choreo.collector.CollectorTestSupport.ServiceProducer;
import dev.choreo.collector.OrderStory;
import dev.choreo.events.EventHeaders;
import dev.choreo.events.Topics;
import dev.choreo.security.test.TestUsers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The workbench against a real broker: dead letters written as the services write them (original headers plus the
 * {@code kafka_dlt-*} headers and {@code dlt-reason}), re-driven records read back from the original topics, audit
 * records from {@code operations-events}, and a collector restarted in between.
 */
@EmbeddedKafka(partitions = 2, brokerProperties = {"offsets.topic.num.partitions=1",
    "group.initial.rebalance.delay.ms=0"}, topics = {"order-events", "order-events.DLT", "inventory-events",
    "inventory-events.DLT", "operations-events"})
class DeadLetterWorkbenchIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String TIMEOUT = "HANDLER_FAILED: SocketTimeoutException";
    private static final String MALFORMED = "MALFORMED_JSON";

    @Test
    void redrivesByReasonEachDeadLetterOnceWithProvenanceAlsoWhenRetriedAndAfterARestart(EmbeddedKafkaBroker broker)
            throws Exception {
        String brokers = broker.getBrokersAsString();
        try (ServiceProducer services = new ServiceProducer(brokers)) {
            List<OrderStory> stories = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                stories.add(CollectorTestSupport.story("ord-dlt-" + i));
            }
            // two reasons across two topics: three timeouts (inventory-events twice, order-events once), two malformed
            List<ProducerRecord<byte[], byte[]>> timedOut = List.of(
                    ServiceDeadLetters.deadLetter(services, stories.get(0).reserved(), 0, TIMEOUT, "payment-service"),
                    ServiceDeadLetters.deadLetter(services, stories.get(1).reserved(), 1, TIMEOUT, "payment-service"),
                    ServiceDeadLetters.deadLetter(services, stories.get(2).placed(), 0, TIMEOUT, "inventory-service"));
            ServiceDeadLetters.deadLetter(services, stories.get(3).placed(), 1, MALFORMED, "inventory-service");
            ServiceDeadLetters.deadLetter(services, stories.get(4).reserved(), 0, MALFORMED, "payment-service");

            try (ConfigurableApplicationContext collector = start(brokers)) {
                String base = base(collector);
                JsonNode listed = await().atMost(PATIENCE).until(() -> get(base + "/dead-letters?reason="
                        + encode(TIMEOUT)), page -> page.get("total").asInt() == 3);
                assertThat(listed.get("items")).allSatisfy(item -> {
                    assertThat(item.get("reason").asString()).isEqualTo(TIMEOUT);
                    assertThat(item.get("status").asString()).isEqualTo("NEW");
                });
                assertThat(listed.get("items")).extracting(item -> item.get("topic").asString())
                        .containsExactlyInAnyOrder("inventory-events.DLT", "inventory-events.DLT", "order-events.DLT");
                assertThat(get(base + "/dead-letters?reason=" + MALFORMED + "&topic=order-events").get("total").asInt())
                        .isEqualTo(1);

                JsonNode inspected = get(base + "/dead-letters/" + listed.get("items").get(0).get("id").asString()
                        .replace(':', '/'));
                assertThat(inspected.get("cause").asString()).startsWith(TIMEOUT);
                assertThat(inspected.get("valueText").asString()).contains("\"eventType\"");
                assertThat(inspected.get("process").asString()).startsWith("/processes/");

                String byReason = "{\"filter\": {\"reason\": \"" + TIMEOUT + "\"}";
                assertThat(get(base + "/dead-letters?from=2100-01-01T00:00:00Z").get("total").asInt()).isZero();
                JsonNode preview = post(base + "/dead-letters/redrive", byReason.replace("}", ", \"from\": "
                        + "\"2000-01-01T00:00:00Z\", \"to\": \"2100-01-01T00:00:00Z\"}") + ", \"dryRun\": true}");
                assertThat(preview.get("matched").asInt()).isEqualTo(3);
                assertThat(preview.get("toAct").asInt()).isEqualTo(3);
                assertThat(preview.get("done").asInt()).isZero();

                JsonNode redriven = post(base + "/dead-letters/redrive", byReason + "}");
                assertThat(redriven.get("done").asInt()).isEqualTo(3);
                assertThat(redriven.get("results")).allSatisfy(result ->
                        assertThat(result.get("outcome").asString()).isEqualTo("REDRIVEN"));
                // the same request retried: everything is handled already
                JsonNode retried = post(base + "/dead-letters/redrive", byReason + "}");
                assertThat(retried.get("done").asInt()).isZero();
                assertThat(retried.get("alreadyHandled").asInt()).isEqualTo(3);
                assertThat(get(base + "/dead-letters?status=REDRIVEN&reason=" + encode(TIMEOUT)).get("total").asInt())
                        .isEqualTo(3);
                assertThat(get(base + "/dead-letters?status=NEW&reason=" + MALFORMED).get("total").asInt())
                        .isEqualTo(2);

                // the re-drive shows on the process; the audit records are no events to the process model
                await().atMost(PATIENCE).until(() -> hasRedriveEntry(get(base + "/processes/"
                        + stories.get(0).correlationId)));
                await().atMost(PATIENCE).until(() -> text(base + "/actuator/prometheus").contains("choreo_events"));
                assertThat(text(base + "/actuator/prometheus").lines()
                        .filter(line -> line.startsWith("choreo_events_unreadable_total"))).isEmpty();
            }

            List<ConsumerRecord<byte[], byte[]>> copies = redrivenRecords(brokers, "ord-dlt-", 3).stream()
                    .filter(record -> !new String(record.key(), StandardCharsets.UTF_8).equals("ord-dlt-park")).toList();
            assertThat(copies).hasSize(3);
            for (ProducerRecord<byte[], byte[]> original : timedOut) {
                ConsumerRecord<byte[], byte[]> copy = copies.stream().filter(record -> header(record,
                        EventHeaders.EVENT_ID).equals(text(original.headers(), EventHeaders.EVENT_ID))).findFirst()
                        .orElseThrow();
                assertThat(copy.topic()).isEqualTo(original.topic());
                assertThat(copy.partition()).isEqualTo(original.partition());
                assertThat(copy.value()).isEqualTo(original.value());
                assertThat(header(copy, EventHeaders.CORRELATION_ID))
                        .isEqualTo(text(original.headers(), EventHeaders.CORRELATION_ID));
                assertThat(header(copy, RedriveHeaders.COUNT)).isEqualTo("1");
                assertThat(header(copy, RedriveHeaders.ORIGINAL_TOPIC)).isEqualTo(original.topic());
                assertThat(header(copy, RedriveHeaders.ORIGINAL_PARTITION)).isEqualTo(original.partition().toString());
                assertThat(header(copy, RedriveHeaders.ORIGINAL_OFFSET))
                        .isEqualTo(Long.toString(ByteBuffer.wrap(original.headers()
                                .lastHeader(CollectorHeaders.DLT_ORIGINAL_OFFSET).value()).getLong()));
                assertThat(header(copy, RedriveHeaders.DEAD_LETTER)).startsWith(original.topic() + ".DLT:");
                assertThat(header(copy, CollectorHeaders.REDRIVEN_BY)).isEqualTo("operator");
                assertThat(header(copy, CollectorHeaders.REDRIVEN_AT)).isNotNull();
                assertThat(copy.headers().toArray()).extracting(Header::key)
                        .noneMatch(key -> key.startsWith("kafka_dlt-") || key.equals(CollectorHeaders.DLT_REASON));
            }
            List<JsonNode> audits = audits(brokers, TIMEOUT, 3);
            assertThat(audits).hasSize(3).allSatisfy(audit -> {
                assertThat(audit.get("action").asString()).isEqualTo("redrive");
                assertThat(audit.get("requestedBy").asString()).isEqualTo("operator");
                assertThat(audit.get("redriveCount").asInt()).isEqualTo(1);
            });

            // restarted: the audit records say what was handled; nothing is re-driven twice
            try (ConfigurableApplicationContext restarted = start(brokers)) {
                String base = base(restarted);
                await().atMost(PATIENCE).until(() -> get(base + "/dead-letters?status=REDRIVEN&reason="
                        + encode(TIMEOUT)), page -> page.get("total").asInt() == 3);
                JsonNode again = post(base + "/dead-letters/redrive",
                        "{\"filter\": {\"reason\": \"" + TIMEOUT + "\"}}");
                assertThat(again.get("done").asInt()).isZero();
                assertThat(again.get("alreadyHandled").asInt()).isEqualTo(3);
            }
            assertThat(redrivenRecords(brokers, "ord-dlt-", 4)).filteredOn(record -> !new String(record.key(),
                    StandardCharsets.UTF_8).equals("ord-dlt-park")).hasSize(3);
        }
    }

    @Test
    void aRecordThatFailsAgainAfterMaxRedrivesIsParkedNotRedrivenAndCanBeDiscarded(EmbeddedKafkaBroker broker)
            throws Exception {
        String brokers = broker.getBrokersAsString();
        String reason = "HANDLER_FAILED: IllegalStateException";
        OrderStory story = CollectorTestSupport.story("ord-dlt-park");
        try (ServiceProducer services = new ServiceProducer(brokers);
                ConfigurableApplicationContext collector = start(brokers)) {
            String base = base(collector);
            ServiceDeadLetters.deadLetter(services, story.reserved(), 1, reason, "payment-service");
            String byReason = "{\"filter\": {\"reason\": \"" + reason + "\", \"status\": \"NEW\"}}";
            // max-redrives is 2: re-driven twice, failed again each time
            for (int redrive = 1; redrive <= 2; redrive++) {
                await().atMost(PATIENCE).until(() -> get(base + "/dead-letters?status=NEW&reason=" + encode(reason)),
                        page -> page.get("total").asInt() == 1);
                assertThat(post(base + "/dead-letters/redrive", byReason).get("done").asInt()).isEqualTo(1);
                String count = Integer.toString(redrive);
                ConsumerRecord<byte[], byte[]> copy = redrivenRecords(brokers, "ord-dlt-park", redrive).stream()
                        .filter(record -> header(record, RedriveHeaders.COUNT).equals(count)).findFirst().orElseThrow();
                ServiceDeadLetters.deadLetterAgain(services, copy, reason, "payment-service");
            }
            JsonNode parked = await().atMost(PATIENCE).until(() -> get(base + "/dead-letters?status=PARKED&reason="
                    + encode(reason)), page -> page.get("total").asInt() == 1);
            assertThat(parked.get("items").get(0).get("redriveCount").asInt()).isEqualTo(2);
            String parkedId = parked.get("items").get(0).get("id").asString();

            String all = "{\"filter\": {\"reason\": \"" + reason + "\"}";
            JsonNode preview = post(base + "/dead-letters/redrive", all + ", \"dryRun\": true}");
            assertThat(preview.get("matched").asInt()).isEqualTo(3);
            assertThat(preview.get("parked").asInt()).isEqualTo(1);
            assertThat(preview.get("alreadyHandled").asInt()).isEqualTo(2);
            assertThat(preview.get("toAct").asInt()).isZero();
            JsonNode notRedriven = post(base + "/dead-letters/redrive", all + "}");
            assertThat(notRedriven.get("done").asInt()).isZero();
            assertThat(notRedriven.get("results")).anySatisfy(result -> {
                assertThat(result.get("id").asString()).isEqualTo(parkedId);
                assertThat(result.get("outcome").asString()).isEqualTo("PARKED");
            });
            assertThat(redrivenRecords(brokers, "ord-dlt-park", 3)).hasSize(2);

            JsonNode forced = post(base + "/dead-letters/redrive",
                    "{\"ids\": [\"" + parkedId + "\"], \"force\": true, \"dryRun\": true}");
            assertThat(forced.get("toAct").asInt()).isEqualTo(1);
            assertThat(forced.get("parked").asInt()).isZero();

            JsonNode discarded = post(base + "/dead-letters/discard",
                    "{\"ids\": [\"" + parkedId + "\"], \"note\": \"bad card data\"}");
            assertThat(discarded.get("done").asInt()).isEqualTo(1);
            assertThat(discarded.get("results").get(0).get("outcome").asString()).isEqualTo("DISCARDED");
            assertThat(get(base + "/dead-letters?status=DISCARDED&reason=" + encode(reason)).get("items").get(0)
                    .get("handledBy").asString()).isEqualTo("operator");
        }
        assertThat(audits(brokers, reason, 3)).filteredOn(audit -> audit.get("action").asString().equals("discard"))
                .singleElement().satisfies(audit -> {
                    assertThat(audit.get("requestedBy").asString()).isEqualTo("operator");
                    assertThat(audit.get("note").asString()).isEqualTo("bad card data");
                });
    }

    // --- helpers ---------------------------------------------------------------------------------------

    static ConfigurableApplicationContext start(String brokers) {
        List<String> args = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + brokers, "--server.port=0",
                "--choreo.collector.dead-letters.max-redrives=2"));
        CollectorTestSupport.shortDeadlines((name, value) -> args.add("--" + name + "=" + value.get()));
        return new SpringApplicationBuilder(CollectorApplication.class).run(args.toArray(String[]::new));
    }

    /**
     * Every re-driven record on the process topics whose key starts with {@code keyPrefix}, read from the beginning
     * (for 3 s, and until there are at least {@code expected}).
     */
    static List<ConsumerRecord<byte[], byte[]>> redrivenRecords(String brokers, String keyPrefix, int expected) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = reader(brokers)) {
            consumer.subscribe(List.of(Topics.ORDER_EVENTS, Topics.INVENTORY_EVENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < deadline || found.size() < expected && System.nanoTime() < deadline
                    + PATIENCE.toNanos()) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.headers().lastHeader(RedriveHeaders.COUNT) != null
                            && new String(record.key(), StandardCharsets.UTF_8).startsWith(keyPrefix)) {
                        found.add(record);
                    }
                });
            }
        }
        found.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
        return found;
    }

    /** The workbench's audit records of dead letters with this reason (at least {@code expected}). */
    static List<JsonNode> audits(String brokers, String reason, int expected) {
        List<JsonNode> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = reader(brokers)) {
            consumer.subscribe(List.of(Topics.OPERATIONS_EVENTS));
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    assertThat(header(record, CollectorHeaders.DEAD_LETTER_ACTION)).isNotNull();
                    JsonNode audit = JSON.readTree(record.value());
                    if (audit.get("reason").asString().equals(reason)) {
                        found.add(audit);
                    }
                });
                return found.size() >= expected;
            });
        }
        return found;
    }

    private static KafkaConsumer<byte[], byte[]> reader(String brokers) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    private static String base(ConfigurableApplicationContext collector) {
        return "http://127.0.0.1:" + collector.getEnvironment().getProperty("local.server.port");
    }

    static JsonNode get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", TestUsers.basic("operator")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    static JsonNode post(String url, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", TestUsers.basic("operator")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static boolean hasRedriveEntry(JsonNode process) {
        for (JsonNode entry : process.get("timeline")) {
            if (entry.get("kind").asString().equals("REDRIVE")) {
                return true;
            }
        }
        return false;
    }

    /** The metrics need a scraper's or an operator's credentials (security-starter). */
    static String text(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", TestUsers.basic("scraper"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return text(record.headers(), name);
    }

    private static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

}
