package dev.choreo.messaging.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.Topics;
import dev.choreo.messaging.MessagingProperties;
import dev.choreo.messaging.kafka.KafkaMessagingConfiguration;
import dev.choreo.messaging.test.PostgresTestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.server.policy.CreateTopicPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Readiness means the service can do its job. The broker refuses to create the suite's topics (a create-topic policy,
 * as a locked-down cluster has) until the test lets it: the service starts, Spring Boot's own readiness state
 * already accepts traffic, yet {@code /actuator/health/readiness} answers OUT_OF_SERVICE, naming the topics it
 * cannot create and its inbox without partitions. Once the topics can be created it turns UP, and by then every
 * partition has a leader and the service's consumer holds partitions.
 */
class ReadinessTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String GROUP = "order-service";

    private final HttpClient http = HttpClient.newHttpClient();
    private EmbeddedKafkaKraftBroker broker;

    /** The broker's create-topic policy: the suite's topics only once a test allows them; internal ones always. */
    public static class HeldTopicCreation implements CreateTopicPolicy {

        static volatile boolean allowed;

        @Override
        public void validate(RequestMetadata request) {
            if (!allowed && !request.topic().startsWith("__")) {
                throw new PolicyViolationException("topic creation held by the test: " + request.topic());
            }
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }

        @Override
        public void close() {
        }
    }

    @BeforeEach
    void startBroker() {
        HeldTopicCreation.allowed = false;
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(Map.of(
                "auto.create.topics.enable", "false",
                "create.topic.policy.class.name", HeldTopicCreation.class.getName()));
        // keep the system property that the @EmbeddedKafka tests of this JVM use untouched
        broker.brokerListProperty("choreo.readiness-test.brokers");
        broker.afterPropertiesSet();
    }

    @AfterEach
    void stopBroker() {
        broker.destroy();
    }

    @Test
    void outOfServiceUntilTheTopicsHaveLeadersAndTheInboxHoldsPartitionsThenUp() throws Exception {
        String bootstrapServers = broker.getBrokersAsString();
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(MessagingTestApplication.class)
                .web(WebApplicationType.SERVLET)
                // arguments, not default properties: those lose to the system property that an @EmbeddedKafka
                // test of this JVM left behind, which the test resources' application.yml reads
                .run("--server.port=0",
                        "--spring.datasource.url=" + PostgresTestDatabase.recreate("test_messaging_readiness"),
                        "--spring.datasource.username=" + PostgresTestDatabase.USER,
                        "--spring.kafka.bootstrap-servers=" + bootstrapServers);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            String readiness = "http://127.0.0.1:" + ((WebServerApplicationContext) service).getWebServer().getPort()
                    + "/actuator/health/readiness";
            assertThat(service.getBean(ApplicationAvailability.class).getReadinessState())
                    .as("Spring Boot's own readiness state alone").isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);

            HttpResponse<String> waiting = get(readiness);
            assertThat(waiting.statusCode()).as(waiting.body()).isEqualTo(503);
            JsonNode startup = JSON.readTree(waiting.body()).path("components").path("startup");
            assertThat(startup.path("status").asString()).isEqualTo("OUT_OF_SERVICE");
            assertThat(startup.path("details").path("outboxTopics").asString()).contains("cannot create the topics");
            assertThat(startup.path("details").path("inboxPartitions").asString())
                    .contains("no partition of [order-events] assigned");
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).doesNotContain(Topics.ORDER_EVENTS);

            HeldTopicCreation.allowed = true;

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                HttpResponse<String> ready = get(readiness);
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                assertThat(JSON.readTree(ready.body()).path("status").asString()).isEqualTo("UP");
            });
            assertEveryPartitionHasALeader(admin, service.getBean(MessagingProperties.class));
            Collection<MemberDescription> members = admin.describeConsumerGroups(List.of(GROUP))
                    .describedGroups().get(GROUP).get(10, TimeUnit.SECONDS).members();
            assertThat(members).flatMap(member -> member.assignment().topicPartitions())
                    .extracting(TopicPartition::topic).contains(Topics.ORDER_EVENTS);
        }
    }

    private static void assertEveryPartitionHasALeader(Admin admin, MessagingProperties properties) throws Exception {
        List<String> topics = KafkaMessagingConfiguration.topics(properties).stream().map(NewTopic::name).toList();
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                .get(10, TimeUnit.SECONDS);
        assertThat(described).containsOnlyKeys(topics);
        described.values().forEach(topic -> assertThat(topic.partitions()).as(topic.name())
                .hasSize(properties.partitions())
                .allSatisfy(partition -> assertThat(partition.leader()).isNotNull()));
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
