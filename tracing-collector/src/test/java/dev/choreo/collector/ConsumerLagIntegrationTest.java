package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Consumer lag in seconds against the real broker: service groups that commit offsets by hand (assigned, not
 * subscribed: no live members), on topics of their own. The age is that of the oldest record a group has not
 * consumed, so a group that stopped grows by a second a second, an idle topic is 0 however old its last record, and a
 * group reset to old records reports their age.
 */
@TestPropertySource(properties = "choreo.collector.lag.interval=300ms")
class ConsumerLagIntegrationTest extends BrokerBackedTest {

    private static final long HOUR = Duration.ofHours(1).toMillis();

    @Test
    void aGroupThatStoppedHasAGrowingLagAndAnIdleTopicNone() throws Exception {
        createTopics("lag-stopped-events", "lag-idle-events");
        long now = System.currentTimeMillis();
        for (int i = 0; i < 3; i++) {
            services.send(new ProducerRecord<>("lag-stopped-events", 0, null, new byte[0], new byte[0]));
        }
        // the idle topic's records are an hour old: all consumed, so nothing waits there
        for (int i = 0; i < 2; i++) {
            services.send(new ProducerRecord<>("lag-idle-events", 0, now - HOUR, new byte[0], new byte[0]));
        }
        commit("shipping-service", Map.of(new TopicPartition("lag-stopped-events", 0), 1L,
                new TopicPartition("lag-idle-events", 0), 2L));

        String stopped = series("shipping-service", "lag-stopped-events");
        await().atMost(PATIENCE).until(() -> metric(stopped), v -> v.isPresent() && v.getAsDouble() > 0);
        long firstFrom = System.currentTimeMillis();
        double first = metric(stopped).orElseThrow();
        long firstBy = System.currentTimeMillis();
        Thread.sleep(2000);
        long laterFrom = System.currentTimeMillis();
        double later = metric(stopped).orElseThrow();
        long laterBy = System.currentTimeMillis();

        // the age is computed when scraped: it grew by the time between the two scrapes (give or take a tenth)
        assertThat(later - first).as("a stopped group's lag grows with the wall clock")
                .isBetween((laterFrom - firstBy) / 1000.0 - 0.1, (laterBy - firstFrom) / 1000.0 + 0.1);
        assertThat(later).as("its oldest waiting record was produced at the start of the test")
                .isLessThan((System.currentTimeMillis() - now) / 1000.0 + 1);
        assertThat(metric(series("shipping-service", "lag-idle-events"))).hasValue(0);
        assertThat(metric("choreo_consumer_lag_max_seconds{application=\"tracing-collector\",group=\"shipping-service\"}")
                .orElseThrow()).isGreaterThanOrEqualTo(later);
        assertThat(metric("choreo_consumer_group_members{application=\"tracing-collector\",group=\"shipping-service\"}"))
                .hasValue(0);
    }

    @Test
    void aGroupReplayingOldRecordsReportsTheAgeOfTheOldestOneWaiting() throws Exception {
        // not a process topic: the collector never read these records, their age comes from their own timestamps
        createTopics("lag-replay");
        long now = System.currentTimeMillis();
        for (int i = 0; i < 5; i++) {
            services.send(new ProducerRecord<>("lag-replay", 0, now - 2 * HOUR + i, new byte[0], new byte[0]));
        }
        for (int i = 0; i < 5; i++) {
            services.send(new ProducerRecord<>("lag-replay", 0, now - HOUR / 6 + i, new byte[0], new byte[0]));
        }
        TopicPartition replay = new TopicPartition("lag-replay", 0);
        String series = series("notification-service", "lag-replay");

        // reset to the beginning: two hours behind, not an interpolation over the offsets
        commit("notification-service", Map.of(replay, 0L));
        double fromStart = await().atMost(PATIENCE).until(() -> metric(series), v -> v.orElse(0) > 0).getAsDouble();
        assertThat(fromStart).isBetween(2 * 3600.0, 2 * 3600.0 + 30);

        // half way through the replay: the oldest waiting record is ten minutes old
        commit("notification-service", Map.of(replay, 5L));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(metric(series).orElseThrow()).isBetween(600.0, 630.0));

        commit("notification-service", Map.of(replay, 10L));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(metric(series)).hasValue(0));
    }

    @Test
    void aStuckProcessSaysHowOldTheOldestRecordWaitingForTheStalledGroupIs() {
        OrderStory story = CollectorTestSupport.story("ord-lagging");
        publish(0, story.placed(), story.reserved());

        JsonNode diagnosis = awaitOutcome(story, "STUCK").get("diagnosis");
        assertThat(diagnosis.get("kind").asString()).isEqualTo("SERVICE_DOWN");
        // payment-service never consumed inventory-events-0: its oldest waiting record is at least the cause's age
        assertThat(diagnosis.get("oldestWaitingMillis").asLong())
                .isGreaterThanOrEqualTo(CollectorTestSupport.TEST_DEADLINE.toMillis());
        assertThat(diagnosis.get("summary").asString())
                .contains("The oldest record waiting for payment-service on inventory-events-0 has been there");
    }

    private void createTopics(String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(List.of(names).stream().map(name -> new NewTopic(name, 1, (short) 1)).toList()).all()
                    .get();
        }
    }

    /** Commits as the group would after consuming up to these offsets, without joining it (no live member). */
    private void commit(String group, Map<TopicPartition, Long> offsets) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(group)) {
            consumer.assign(offsets.keySet());
            consumer.commitSync(offsets.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                    Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue()))));
        }
    }

    private static String series(String group, String topic) {
        return "choreo_consumer_lag_seconds{application=\"tracing-collector\",group=\"" + group
                + "\",partition=\"0\",topic=\"" + topic + "\"}";
    }

    private OptionalDouble metric(String series) throws Exception {
        String prometheus = send(HttpRequest.newBuilder(uri("/actuator/prometheus")).build()).body();
        return prometheus.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> OptionalDouble.of(Double.parseDouble(line.substring(series.length() + 1).trim())))
                .orElse(OptionalDouble.empty());
    }
}
