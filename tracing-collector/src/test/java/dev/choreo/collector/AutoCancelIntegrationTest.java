package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.collector.CollectorTestSupport.ServiceProducer;
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
 * The optional auto-cancel checks with the broker that the collector has read everything of the process's
 * partition number before it publishes (a process whose records wait unread is not cancelled): it still fires for
 * a process that does not move, and only once.
 */
@EmbeddedKafka(partitions = 2, brokerProperties = {"offsets.topic.num.partitions=1",
    "group.initial.rebalance.delay.ms=0"}, topics = {"order-events", "inventory-events", "operations-events"})
class AutoCancelIntegrationTest {

    @Test
    void aStuckProcessThatDoesNotMoveIsCancelledOnceTheCollectorHasReadEverything(EmbeddedKafkaBroker broker) {
        String brokers = broker.getBrokersAsString();
        OrderStory idle = CollectorTestSupport.story("ord-auto-cancel");
        try (ServiceProducer services = new ServiceProducer(brokers);
                ConfigurableApplicationContext collector = start(brokers);
                KafkaConsumer<byte[], byte[]> operations = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ConsumerConfig.GROUP_ID_CONFIG, "ops-reader",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            services.publish(idle.placed(), 1);
            operations.subscribe(List.of(Topics.OPERATIONS_EVENTS));
            List<ConsumerRecord<byte[], byte[]>> requests = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                operations.poll(Duration.ofMillis(200)).forEach(requests::add);
                return !requests.isEmpty();
            });
            var request = EventJson.read(requests.get(0).value());
            assertThat(request.eventType()).isEqualTo("ProcessCancellationRequested");
            assertThat(request.correlationId()).isEqualTo(idle.correlationId);
            assertThat(collector.isActive()).isTrue();
            // once: the collector reads its own request (it moves the process) and asks nothing more
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> {
                operations.poll(Duration.ofMillis(200)).forEach(requests::add);
                return requests.size() == 1;
            });
        }
    }

    /** Deadlines of 2 s (the test flow), auto-cancel after 1 s more. */
    static ConfigurableApplicationContext start(String brokers) {
        List<String> args = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + brokers, "--server.port=0",
                "--choreo.collector.auto-cancel.enabled=true", "--choreo.collector.auto-cancel.after=1s"));
        CollectorTestSupport.shortDeadlines((name, value) -> args.add("--" + name + "=" + value.get()));
        return new SpringApplicationBuilder(CollectorApplication.class).run(args.toArray(String[]::new));
    }
}
