package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.collector.CollectorTestSupport.ServiceProducer;
import dev.choreo.collector.process.ProcessStore;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Issue 13, item 1: a collector started before the services created their topics finds each topic within a
 * second of its creation (not at the next 30 s metadata refresh), and its readiness says whether it has read what
 * it owns: OUT_OF_SERVICE while a backlog is read, UP after.
 */
@EmbeddedKafka(partitions = 3, brokerProperties = {"offsets.topic.num.partitions=1",
    "group.initial.rebalance.delay.ms=0"})
class DiscoveryAndReadinessIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aTopicCreatedAfterStartIsReadWithinASecondOrSo(EmbeddedKafkaBroker broker) throws Exception {
        String brokers = broker.getBrokersAsString();
        try (ConfigurableApplicationContext collector = start(brokers, "discovery-test");
                Admin admin = admin(brokers);
                ServiceProducer services = new ServiceProducer(brokers)) {
            int port = port(collector);
            // nothing of the suite's exists yet; the collector has joined and owns whatever there is
            await().atMost(Duration.ofSeconds(30)).until(() -> readiness(port).statusCode() == 200);

            OrderStory story = CollectorTestSupport.story("ord-first-order");
            createAndAwaitLeaders(admin, Topics.ORDER_EVENTS, 3);
            long readable = System.nanoTime();
            services.publish(story.placed(), 1);

            // the old collector found the topic at its next metadata refresh: up to 30 s later
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> get(port, "/processes/" + story.correlationId).statusCode() == 200);
            System.out.printf("process visible %d ms after its event was readable%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readable));
        }
    }

    @Test
    void readinessIsOutOfServiceWhileABacklogIsReadAndUpAfter(EmbeddedKafkaBroker broker) throws Exception {
        String brokers = broker.getBrokersAsString();
        String topic = "backlog-events";
        int records = 30_000;
        OrderStory last = null;
        try (Admin admin = admin(brokers); KafkaProducer<byte[], byte[]> producer = producer(brokers)) {
            createAndAwaitLeaders(admin, topic, 3);
            Future<RecordMetadata> sent = null;
            for (int i = 0; i < records; i++) {
                OrderStory story = CollectorTestSupport.story("ord-backlog-" + i);
                EventEnvelope<?> placed = story.placed();
                var record = OrderStory.record(placed, i % 3);
                sent = producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, i % 3,
                        record.key(), record.value(), record.headers()));
                last = story;
            }
            producer.flush();
            sent.get(30, TimeUnit.SECONDS);
        }
        // five records per poll: reading the backlog takes a while, long enough to be seen
        try (ConfigurableApplicationContext collector = start(brokers, "readiness-test",
                "--spring.kafka.consumer.max-poll-records=5")) {
            int port = port(collector);
            ProcessStore store = collector.getBean(ProcessStore.class);
            HttpResponse<String> during = readiness(port);
            assertThat(during.statusCode()).as(during.body()).isEqualTo(503);
            assertThat(during.body()).contains("OUT_OF_SERVICE");
            assertThat(get(port, "/actuator/health/liveness").statusCode()).as("alive while catching up")
                    .isEqualTo(200);

            OrderStory lastStory = last;
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> readiness(port).statusCode() == 200);
            assertThat(readiness(port).body()).contains("\"UP\"");
            assertThat(store.find(lastStory.correlationId)).as("ready means the backlog is read").isPresent();
        }
    }

    /**
     * Stopping the listener container gives its partitions up as a rebalance does, but no assignment follows for that
     * consumer: a restarted container has a new one. Readiness used to wait for the old one for good (OUT_OF_SERVICE
     * "rebalancing" forever); Spring's test framework pauses idle contexts exactly so, which is how it was found.
     */
    @Test
    void readyAgainAfterTheListenerContainerIsStoppedAndStarted(EmbeddedKafkaBroker broker) throws Exception {
        String brokers = broker.getBrokersAsString();
        try (Admin admin = admin(brokers)) {
            createAndAwaitLeaders(admin, "restart-events", 2);
        }
        try (ConfigurableApplicationContext collector = start(brokers, "restart-test")) {
            int port = port(collector);
            await().atMost(Duration.ofSeconds(60)).until(() -> readiness(port).statusCode() == 200);
            MessageListenerContainer container = collector.getBean(KafkaListenerEndpointRegistry.class)
                    .getListenerContainer("process-topics");
            container.stop();
            container.start();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                HttpResponse<String> readiness = readiness(port);
                assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
            });
        }
    }

    private static ConfigurableApplicationContext start(String brokers, String group, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + brokers,
                "--server.port=0", "--spring.kafka.consumer.group-id=" + group,
                "--management.endpoint.health.show-components=always"));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(CollectorApplication.class).run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static HttpResponse<String> readiness(int port) throws Exception {
        return get(port, "/actuator/health/readiness");
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(BrokerBackedTest.asOperator(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build()),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Admin admin(String brokers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers));
    }

    private static KafkaProducer<byte[], byte[]> producer(String brokers) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ProducerConfig.ACKS_CONFIG,
                "all", ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Creates a topic and waits until every partition has a leader (KAFKA-14359, see PLATFORM.md). */
    private static void createAndAwaitLeaders(Admin admin, String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(5, TimeUnit.SECONDS).get(topic);
                return description.partitions().size() == partitions
                        && description.partitions().stream().allMatch(p -> p.leader() != null);
            } catch (java.util.concurrent.ExecutionException e) {
                return false;
            }
        });
    }
}
