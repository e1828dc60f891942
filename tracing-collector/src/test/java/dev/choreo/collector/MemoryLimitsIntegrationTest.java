package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.Topics;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The memory limits against a real broker, with small caps: 600 open processes and 300 known only from dead letters
 * per instance, that is 200 and 100 on each of the three partition numbers. Partitions keep the scenarios apart: the
 * flood goes to partitions 0 and 1, the evictions happen on partition 2.
 */
@TestPropertySource(properties = {"choreo.collector.max-open-processes=600",
    "choreo.collector.max-dead-letter-processes=300"})
class MemoryLimitsIntegrationTest extends BrokerBackedTest {

    private static final int FLOOD = 100_000;

    @Test
    void aFloodOfPoisonRecordsWithRandomKeysStaysUnderItsCapWhileARealStallIsFlagged() throws Exception {
        OrderStory stalled = CollectorTestSupport.story("ord-stalled-in-flood");
        publish(0, stalled.placed());
        try (KafkaProducer<byte[], byte[]> poisoner = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 1 << 18), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < FLOOD; i++) {
                poisoner.send(poison(i % 2, UUID.randomUUID().toString()));
            }
            poisoner.flush();
        }

        JsonNode process = awaitOutcome(stalled, "STUCK");
        assertThat(process.get("stuckOn").get("service").asString()).isEqualTo("inventory-service");
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(
                metric("choreo_dead_letters_untracked_total{application=\"tracing-collector\",consumer_group=\"inventory-service\",reason=\"MALFORMED_JSON\",topic=\"order-events.DLT\"}"))
                .isEqualTo(FLOOD - 200));
        assertThat(metric("choreo_processes_dead_letters_only{application=\"tracing-collector\"}")).isEqualTo(200);
        assertThat(metric("choreo_processes_open{application=\"tracing-collector\"}")).isLessThanOrEqualTo(600);
        assertThat(metric("choreo_processes_evicted_total{application=\"tracing-collector\",reason=\"max-open-processes\"}"))
                .as("the flood pushed no real process out").isZero();
    }

    @Test
    void beyondItsShareOfOpenProcessesAPartitionEvictsTheLeastRecentlyActiveAndSaysSo() throws Exception {
        List<OrderStory> stories = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            OrderStory story = CollectorTestSupport.story("ord-crowd-" + i);
            stories.add(story);
            publish(2, story.placed());
        }
        JsonNode evicted = awaitOutcome(stories.get(0), "EVICTED");
        assertThat(evicted.get("evicted").get("reason").asString()).isEqualTo("max-open-processes");
        assertThat(evicted.get("evicted").get("outcomeBefore").asString()).isIn("RUNNING", "STUCK");
        assertThat(evicted.get("timeline")).hasSize(1);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                metric("choreo_processes_evicted_total{application=\"tracing-collector\",reason=\"max-open-processes\"}"))
                .isEqualTo(50));
        assertThat(process(stories.get(49)).get("outcome").asString()).isEqualTo("EVICTED");
        assertThat(process(stories.get(50)).get("outcome").asString()).isIn("RUNNING", "STUCK");
        assertThat(get("/processes?status=EVICTED&limit=1000")).hasSize(50);
    }

    /** A record the consuming service could not read, dead-lettered without the envelope headers (no correlation id). */
    private static ProducerRecord<byte[], byte[]> poison(int partition, String key) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("kafka_dlt-original-consumer-group", "inventory-service".getBytes(StandardCharsets.UTF_8));
        headers.add("dlt-reason", "MALFORMED_JSON".getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(Topics.deadLetterOf(Topics.ORDER_EVENTS), partition,
                key.getBytes(StandardCharsets.UTF_8), "not json".getBytes(StandardCharsets.UTF_8), headers);
    }

    private double metric(String series) throws Exception {
        String prometheus = send(HttpRequest.newBuilder(uri("/actuator/prometheus")).build()).body();
        return prometheus.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1))).orElse(-1.0);
    }
}
