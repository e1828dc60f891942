package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.collector.CollectorTestSupport.ServiceProducer;
import dev.choreo.collector.process.ProcessStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A member of the collector's group that owns partitions but does not answer HTTP: what may be on it is answered
 * with 503 problem details naming it and its partitions, never with a 404 or an incomplete list.
 */
@EmbeddedKafka(partitions = 2, brokerProperties = {"offsets.topic.num.partitions=1",
    "group.initial.rebalance.delay.ms=0"}, topics = {"order-events", "inventory-events"})
class UnreachableInstanceIntegrationTest {

    private static final String DEAD_URL = "http://127.0.0.1:9";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void whatMayBeOnAnInstanceThatDoesNotAnswerIs503NamingIt(EmbeddedKafkaBroker broker) throws Exception {
        String brokers = broker.getBrokersAsString();
        try (ServiceProducer services = new ServiceProducer(brokers);
                ConfigurableApplicationContext collector = new SpringApplicationBuilder(CollectorApplication.class)
                        .run("--spring.kafka.bootstrap-servers=" + brokers, "--server.port=0");
                KafkaConsumer<byte[], byte[]> silent = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ConsumerConfig.GROUP_ID_CONFIG, "tracing-collector",
                        ConsumerConfig.CLIENT_ID_CONFIG, "tracing-collector|" + DEAD_URL + "|-0",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName()),
                        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            ProcessStore store = collector.getBean(ProcessStore.class);
            String base = "http://127.0.0.1:" + collector.getEnvironment().getProperty("local.server.port");
            silent.subscribe(Pattern.compile(".+-events(\\.DLT)?"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                silent.poll(Duration.ofMillis(100));
                return silent.assignment().stream().map(TopicPartition::partition).distinct().count() == 1
                        && store.ownedPartitions().size() == 1;
            });
            int silentPartition = silent.assignment().iterator().next().partition();
            int ownPartition = store.ownedPartitions().first();
            OrderStory here = CollectorTestSupport.story("ord-here");
            services.publish(here.placed(), ownPartition);
            await().atMost(Duration.ofSeconds(10)).until(() -> store.find(here.correlationId).isPresent());

            assertThat(get(base + "/processes/" + here.correlationId).statusCode()).isEqualTo(200);
            for (String path : new String[] {"/processes/not-here", "/processes"}) {
                HttpResponse<String> answer = get(base + path);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
                assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                JsonNode problem = JSON.readTree(answer.body());
                assertThat(problem.get("detail").asString()).contains(DEAD_URL);
                assertThat(problem.get("instances").get(0).get("instance").asString()).isEqualTo(DEAD_URL);
                assertThat(problem.get("instances").get(0).get("partitions").get(0).asInt()).isEqualTo(silentPartition);
            }
        }
    }

    private static HttpResponse<String> get(String uri) throws Exception {
        return HTTP.send(BrokerBackedTest.asOperator(HttpRequest.newBuilder(URI.create(uri)).build()), HttpResponse.BodyHandlers.ofString());
    }
}
