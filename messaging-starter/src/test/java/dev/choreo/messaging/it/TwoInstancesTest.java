package dev.choreo.messaging.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventHeaders;
import dev.choreo.events.Topics;
import dev.choreo.events.order.OrderLine;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.order.PaymentMethod;
import dev.choreo.events.order.ShippingAddress;
import dev.choreo.messaging.test.KafkaTestClient;
import dev.choreo.messaging.test.PostgresTestDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

/**
 * Two instances of one service on one database and one consumer group, as a scaled-out deployment runs them: an
 * order placed on one and cancelled on the other reaches Kafka in commit order, no outbox row is sent twice, and
 * every event is handled once although both consume. When the instance that sends stops, the other takes over.
 */
@SpringJUnitConfig
@EmbeddedKafka(brokerProperties = "auto.create.topics.enable=false")
class TwoInstancesTest {

    @Autowired
    EmbeddedKafkaBroker broker;

    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    @AfterEach
    void stop() {
        instances.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void twoInstancesSendInCommitOrderWithoutDuplicatesAndHandleEachEventOnce() {
        String database = PostgresTestDatabase.recreate("test_messaging_two_instances");
        var first = start(database);
        var second = start(database);
        List<String> orderIds = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            // placed on one instance, cancelled on the other: two outboxes' rows of one key, one relay
            var placing = (i % 2 == 0 ? first : second).getBean(MessagingTestApplication.OrderPlacing.class);
            var cancelling = (i % 2 == 0 ? second : first).getBean(MessagingTestApplication.OrderPlacing.class);
            EventEnvelope<OrderPlaced> placed = placing.place(order("ord-two-" + i));
            cancelling.cancel(placed);
            orderIds.add(placed.payload().orderId());
        }

        try (var kafka = new KafkaTestClient(broker.getBrokersAsString())) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    kafka.events("InventoryUpdated", Topics.INVENTORY_EVENTS)).hasSize(orderIds.size()));
            Map<String, List<String>> typesByOrder = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : kafka.readAll(Topics.ORDER_EVENTS)) {
                typesByOrder.computeIfAbsent(r.key(), k -> new ArrayList<>())
                        .add(KafkaTestClient.header(r, EventHeaders.EVENT_TYPE));
            }
            orderIds.forEach(orderId -> assertThat(typesByOrder.get(orderId)).as(orderId)
                    .containsExactly("OrderPlaced", "OrderCancelled"));
            Map<String, Long> reactions = kafka.events("InventoryUpdated", Topics.INVENTORY_EVENTS).stream()
                    .collect(Collectors.groupingBy(EventEnvelope::key, Collectors.counting()));
            assertThat(reactions).hasSize(orderIds.size()).allSatisfy((orderId, count) -> assertThat(count)
                    .as("reactions to %s", orderId).isEqualTo(1));

            // the instance holding the lease goes away: the other one sends from now on
            ConfigurableApplicationContext survivor = relayPhase(first).startsWith("standby") ? first : second;
            assertThat(relayPhase(survivor)).startsWith("standby");
            assertThat(relayPhase(survivor == first ? second : first)).isEqualTo("sending");
            (survivor == first ? second : first).close();
            survivor.getBean(MessagingTestApplication.OrderPlacing.class).place(order("ord-two-after"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    kafka.events("InventoryUpdated", Topics.INVENTORY_EVENTS)).anySatisfy(
                            e -> assertThat(e.key()).isEqualTo("ord-two-after")));
        }
    }

    private static String relayPhase(ConfigurableApplicationContext instance) {
        return String.valueOf(instance.getBean("outboxHealthIndicator", HealthIndicator.class).health().getDetails()
                .get("relay"));
    }

    private ConfigurableApplicationContext start(String database) {
        var context = new SpringApplicationBuilder(MessagingTestApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.datasource.url=" + database,
                        "spring.datasource.username=" + PostgresTestDatabase.USER,
                        "spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        // the test's own broker; the test resources' application.yml names the annotation's
                        "spring.embedded.kafka.brokers=" + broker.getBrokersAsString())
                .run();
        instances.add(context);
        return context;
    }

    private static OrderPlaced order(String orderId) {
        return new OrderPlaced(orderId, "c-42", List.of(new OrderLine("SKU-1", 2, new BigDecimal("10.00"))),
                new BigDecimal("20.00"), "EUR", new PaymentMethod("tok_visa"),
                new ShippingAddress("Ada", "Main St 1", "Helsinki", "00100", "FI"));
    }
}
