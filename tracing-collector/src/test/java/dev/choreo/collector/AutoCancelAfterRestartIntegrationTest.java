package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.collector.CollectorTestSupport.ServiceProducer;
import dev.choreo.collector.flow.Outcome;
import dev.choreo.collector.process.ProcessStore;
import dev.choreo.collector.process.ProcessView;
import dev.choreo.events.EventJson;
import dev.choreo.events.Topics;
import dev.choreo.security.test.TestUsers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * requested and does not publish it a second time. An operator's cancellation counts the same: the timer does not
 * add its own, before or after the restart.
 */
@EmbeddedKafka(partitions = 2, brokerProperties = {"offsets.topic.num.partitions=1",
    "group.initial.rebalance.delay.ms=0"}, topics = {"order-events", "inventory-events", "operations-events"})
class AutoCancelAfterRestartIntegrationTest {

    @Test
    void aRestartedCollectorDoesNotCancelTheSameProcessAgain(EmbeddedKafkaBroker broker) throws Exception {
        String brokers = broker.getBrokersAsString();
        OrderStory idle = CollectorTestSupport.story("ord-auto-cancel-restart");
        OrderStory cancelledByHand = CollectorTestSupport.story("ord-operator-cancel-restart");
        List<ConsumerRecord<byte[], byte[]>> requests = new ArrayList<>();
        try (ServiceProducer services = new ServiceProducer(brokers);
                KafkaConsumer<byte[], byte[]> operations = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ConsumerConfig.GROUP_ID_CONFIG, "ops-reader",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            operations.subscribe(List.of(Topics.OPERATIONS_EVENTS));
            try (ConfigurableApplicationContext collector = AutoCancelIntegrationTest.start(brokers)) {
                services.publish(cancelledByHand.placed(), 0);
                await().atMost(Duration.ofSeconds(10)).until(() -> collector.getBean(ProcessStore.class)
                        .find(cancelledByHand.correlationId).isPresent());
                HttpResponse<String> cancelled = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + collector.getEnvironment().getProperty("local.server.port")
                                + "/processes/" + cancelledByHand.correlationId + "/cancel"))
                        .header("Authorization", TestUsers.basic("operator"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
                services.publish(idle.placed(), 1);
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    operations.poll(Duration.ofMillis(200)).forEach(requests::add);
                    return requests.size() >= 2;
                });
                // the first run has read both requests before it stops
                await().atMost(Duration.ofSeconds(10)).until(() -> hasCancellationRequest(collector, idle)
                        && hasCancellationRequest(collector, cancelledByHand));
            }

            try (ConfigurableApplicationContext restarted = AutoCancelIntegrationTest.start(brokers)) {
                ProcessStore store = restarted.getBean(ProcessStore.class);
                await().atMost(Duration.ofSeconds(30)).until(() -> List.of(idle, cancelledByHand).stream().allMatch(
                        story -> store.find(story.correlationId).filter(process -> process.outcome() == Outcome.STUCK)
                                .isPresent() && hasCancellationRequest(restarted, story)));
                // deadlines of 2 s, auto-cancel after 1 s: a repeat would come within a few seconds of the rebuild
                await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8)).until(() -> {
                    operations.poll(Duration.ofMillis(200)).forEach(requests::add);
                    return requests.size() == 2;
                });
                assertThat(store.find(idle.correlationId)).map(ProcessView::outcome).contains(Outcome.STUCK);
                assertThat(store.find(cancelledByHand.correlationId)).map(ProcessView::outcome).contains(Outcome.STUCK);
            }
        }
        // one request per process: the operator's, and the timer's for the process nobody cancelled
        assertThat(requests).map(record -> EventJson.read(record.value()))
                .allMatch(request -> request.eventType().equals("ProcessCancellationRequested"))
                .extracting(request -> request.correlationId())
                .containsExactlyInAnyOrder(idle.correlationId, cancelledByHand.correlationId);
    }

    private static boolean hasCancellationRequest(ConfigurableApplicationContext collector, OrderStory story) {
        return collector.getBean(ProcessStore.class).find(story.correlationId).stream()
                .flatMap(process -> process.timeline().stream())
                .anyMatch(entry -> "ProcessCancellationRequested".equals(entry.eventType()));
    }
}
