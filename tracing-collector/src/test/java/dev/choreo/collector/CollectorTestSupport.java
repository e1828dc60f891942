package dev.choreo.collector;

import dev.choreo.collector.flow.FlowProperties;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Shared by the broker-backed tests: topics, a test flow with short deadlines, a producer standing in for the services. */
public final class CollectorTestSupport {

    /** Every process topic and its dead-letter topic, three partitions each (co-partitioned). */
    public static final String[] TOPICS = topics();
    public static final Duration TEST_DEADLINE = Duration.ofSeconds(2);

    private CollectorTestSupport() {
    }

    private static String[] topics() {
        List<String> topics = new ArrayList<>();
        for (String topic : Topics.PROCESS_TOPICS) {
            topics.add(topic);
            topics.add(Topics.deadLetterOf(topic));
        }
        return topics.toArray(String[]::new);
    }

    /** The shipped flow with every deadline shortened, so stuck processes show within seconds. */
    public static void shortDeadlines(DynamicPropertyRegistry registry) {
        List<FlowProperties.Step> steps = TestFlows.shipped().steps();
        for (int i = 0; i < steps.size(); i++) {
            FlowProperties.Step step = steps.get(i);
            String prefix = "choreo.flow.steps[" + i + "].";
            registry.add(prefix + "name", step::name);
            registry.add(prefix + "after", step::after);
            registry.add(prefix + "deadline", () -> TEST_DEADLINE.toMillis() + "ms");
            registry.add(prefix + "compensation", step::compensation);
            registry.add(prefix + "supersedes", step::supersedes);
            registry.add(prefix + "lapses-on-end", step::lapsesOnEnd);
            for (int j = 0; j < step.expect().size(); j++) {
                FlowProperties.Expect expect = step.expect().get(j);
                String expectPrefix = prefix + "expect[" + j + "].";
                registry.add(expectPrefix + "service", expect::service);
                registry.add(expectPrefix + "events", () -> String.join(",", expect.events()));
                if (expect.onlyIfSeen() != null) {
                    registry.add(expectPrefix + "only-if-seen", expect::onlyIfSeen);
                }
            }
        }
    }

    /** Publishes as a service does (acks=all), on the given partition. */
    public static final class ServiceProducer implements AutoCloseable {

        private final KafkaProducer<byte[], byte[]> producer;

        public ServiceProducer(String bootstrapServers) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
                    new ByteArraySerializer(), new ByteArraySerializer());
        }

        public RecordMetadata publish(EventEnvelope<?> envelope, int partition) {
            return send(OrderStory.record(envelope, partition));
        }

        public RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
            try {
                return producer.send(record).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Events of a story occur now, a few milliseconds apart. */
    public static OrderStory story(String orderId) {
        return new OrderStory(orderId, Instant.now());
    }
}
