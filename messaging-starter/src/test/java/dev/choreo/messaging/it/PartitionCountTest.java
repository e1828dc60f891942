package dev.choreo.messaging.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.choreo.events.Topics;
import dev.choreo.messaging.test.PostgresTestDatabase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * All topics share one partition count. A service configured for another count than the topics that exist refuses
 * to start, naming the topic and both counts, and leaves the topics as they are. (Before, Spring's KafkaAdmin grew a
 * topic with fewer partitions to the service's count, moving every order's later events to another partition than
 * its earlier ones, on every other service's topics too.)
 */
class PartitionCountTest {

    private EmbeddedKafkaKraftBroker broker;

    @BeforeEach
    void startBroker() {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(Map.of("auto.create.topics.enable", "false"));
        // keep the system property that the @EmbeddedKafka tests of this JVM use untouched
        broker.brokerListProperty("choreo.partition-count-test.brokers");
        broker.afterPropertiesSet();
    }

    @AfterEach
    void stopBroker() {
        broker.destroy();
    }

    @Test
    void aServiceConfiguredForMorePartitionsThanTheTopicsHaveRefusesToStartAndGrowsNothing() throws Exception {
        String bootstrapServers = broker.getBrokersAsString();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            // the suite runs with 2 partitions; this service is configured for 3 (test application.yml)
            admin.createTopics(List.of(new NewTopic(Topics.ORDER_EVENTS, 2, (short) 1),
                    new NewTopic(Topics.INVENTORY_EVENTS, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);

            assertThatThrownBy(() -> new SpringApplicationBuilder(MessagingTestApplication.class)
                    .web(WebApplicationType.NONE)
                    .run("--spring.datasource.url=" + PostgresTestDatabase.recreate("test_messaging_partitions"),
                            "--spring.datasource.username=" + PostgresTestDatabase.USER,
                            "--spring.kafka.bootstrap-servers=" + bootstrapServers).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Refusing to start")
                    .hasMessageContaining("topic order-events exists with 2 partitions, but this service is "
                            + "configured for 3 (choreo.messaging.partitions)")
                    .hasMessageContaining("topic inventory-events exists with 2 partitions");

            assertThat(admin.describeTopics(List.of(Topics.ORDER_EVENTS, Topics.INVENTORY_EVENTS)).allTopicNames()
                    .get(10, TimeUnit.SECONDS).values()).allSatisfy(topic -> assertThat(topic.partitions())
                    .as(topic.name()).hasSize(2));
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .as("no topic created by a service that refused to start").doesNotContain(Topics.PAYMENT_EVENTS);
        }
    }
}
