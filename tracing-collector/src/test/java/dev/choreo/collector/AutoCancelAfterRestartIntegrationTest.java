package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.collector.CollectorTestSupport.ServiceProducer;
import dev.choreo.collector.flow.Outcome;
import dev.choreo.collector.process.ProcessStore;
import dev.choreo.collector.process.ProcessView;
import dev.choreo.events.EventJson;
import dev.choreo.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * An auto-cancel is recorded in the log, not only in memory: a collector restarted (same group) while the process is
 * still stuck (order-service is not running here, so nobody acts on the request) rebuilds that the cancellation was
 * requested and does not publish it a second time.
 */
@EmbeddedKafka(partitions = 2, brokerProperties = {"offsets.topic.num.partitions=1",
    "group.initial.rebalance.delay.ms=0"}, topics = {"order-events", "inventory-events", "operations-events"})
class AutoCancelAfterRestartIntegrationTest {

    @Test
    void aRestartedCollectorDoesNotCancelTheSameProcessAgain(EmbeddedKafkaBroker broker) {
        String brokers = broker.getBrokersAsString();
        OrderStory idle = CollectorTestSupport.story("ord-auto-cancel-restart");
        List<ConsumerRecord<byte[], byte[]>> requests = new ArrayList<>();
        try (ServiceProducer services = new ServiceProducer(brokers);
                KafkaConsumer<byte[], byte[]> operations = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ConsumerConfig.GROUP_ID_CONFIG, "ops-reader",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            operations.subscribe(List.of(Topics.OPERATIONS_EVENTS));
            try (ConfigurableApplicationContext collector = AutoCancelIntegrationTest.start(brokers)) {
                services.publish(idle.placed(), 1);
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    operations.poll(Duration.ofMillis(200)).forEach(requests::add);
                    return !requests.isEmpty();
                });
                // the first run has read its own request before it stops
                await().atMost(Duration.ofSeconds(10)).until(() -> hasCancellationRequest(collector, idle));
            }

            try (ConfigurableApplicationContext restarted = AutoCancelIntegrationTest.start(brokers)) {
                ProcessStore store = restarted.getBean(ProcessStore.class);
                await().atMost(Duration.ofSeconds(30)).until(() -> store.find(idle.correlationId)
                        .filter(process -> process.outcome() == Outcome.STUCK).isPresent()
                        && hasCancellationRequest(restarted, idle));
                // deadlines of 2 s, auto-cancel after 1 s: a repeat would come within a few seconds of the rebuild
                await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8)).until(() -> {
                    operations.poll(Duration.ofMillis(200)).forEach(requests::add);
                    return requests.size() == 1;
                });
                assertThat(store.find(idle.correlationId)).map(ProcessView::outcome).contains(Outcome.STUCK);
            }
        }
        var request = EventJson.read(requests.get(0).value());
        assertThat(request.eventType()).isEqualTo("ProcessCancellationRequested");
        assertThat(request.correlationId()).isEqualTo(idle.correlationId);
    }

    private static boolean hasCancellationRequest(ConfigurableApplicationContext collector, OrderStory story) {
        return collector.getBean(ProcessStore.class).find(story.correlationId).stream()
                .flatMap(process -> process.timeline().stream())
                .anyMatch(entry -> "ProcessCancellationRequested".equals(entry.eventType()));
    }
}
