package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.collector.CollectorTestSupport.ServiceProducer;
import dev.choreo.collector.flow.Outcome;
import dev.choreo.collector.process.ProcessStore;
import dev.choreo.events.EventJson;
import dev.choreo.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
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
 * An auto-cancel whose publish fails is not lost: the collector decides again a second later and publishes once
 * Kafka takes it. Here {@code operations-events} does not exist at first (nobody may create it), so the first
 * attempts fail.
 */
@EmbeddedKafka(partitions = 2, brokerProperties = {"offsets.topic.num.partitions=1",
    "group.initial.rebalance.delay.ms=0", "auto.create.topics.enable=false"}, topics = {"order-events",
    "inventory-events"})
class AutoCancelRetryIntegrationTest {

    @Test
    void anAutoCancelThatKafkaDidNotTakeIsPublishedOnceItCan(EmbeddedKafkaBroker broker) throws Exception {
        String brokers = broker.getBrokersAsString();
        OrderStory idle = CollectorTestSupport.story("ord-auto-cancel-retry");
        List<String> args = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + brokers, "--server.port=0",
                "--choreo.collector.auto-cancel.enabled=true", "--choreo.collector.auto-cancel.after=1s",
                "--choreo.collector.operations-topic.create=false",
                // a publish to a missing topic fails after a second instead of a minute
                "--spring.kafka.producer.properties.max.block.ms=1000"));
        CollectorTestSupport.shortDeadlines((name, value) -> args.add("--" + name + "=" + value.get()));
        try (ServiceProducer services = new ServiceProducer(brokers);
                ConfigurableApplicationContext collector = new SpringApplicationBuilder(CollectorApplication.class)
                        .run(args.toArray(String[]::new));
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers));
                KafkaConsumer<byte[], byte[]> operations = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ConsumerConfig.GROUP_ID_CONFIG, "ops-reader",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            ProcessStore store = collector.getBean(ProcessStore.class);
            services.publish(idle.placed(), 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> store.find(idle.correlationId)
                    .filter(process -> process.outcome() == Outcome.STUCK).isPresent());
            // stuck 1 s: decided; the publish then fails within a second, and again each time it is decided again
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> store
                    .find(idle.correlationId).map(process -> process.outcome() == Outcome.STUCK).orElse(false));

            admin.createTopics(List.of(new NewTopic(Topics.OPERATIONS_EVENTS, Optional.of(2), Optional.empty())))
                    .all().get();
            operations.subscribe(List.of(Topics.OPERATIONS_EVENTS));
            List<ConsumerRecord<byte[], byte[]>> requests = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                operations.poll(Duration.ofMillis(200)).forEach(requests::add);
                return !requests.isEmpty();
            });
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> {
                operations.poll(Duration.ofMillis(200)).forEach(requests::add);
                return requests.size() == 1;
            });
            assertThat(EventJson.read(requests.get(0).value()).correlationId()).isEqualTo(idle.correlationId);
        }
    }
}
