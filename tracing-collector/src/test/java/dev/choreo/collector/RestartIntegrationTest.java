package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.collector.CollectorTestSupport.ServiceProducer;
import dev.choreo.collector.flow.Outcome;
import dev.choreo.collector.process.ProcessStore;
import dev.choreo.collector.process.ProcessView;
import dev.choreo.events.notification.NotificationKind;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The collector keeps its state in memory: a restart rebuilds it by replaying the retained topics, and counts
 * nothing twice (records below the group's committed offsets were counted by the previous run).
 */
@EmbeddedKafka(partitions = 2, brokerProperties = {"offsets.topic.num.partitions=1",
    "group.initial.rebalance.delay.ms=0"}, topics = {"order-events", "order-events.DLT", "inventory-events",
    "inventory-events.DLT", "payment-events", "payment-events.DLT", "shipping-events", "shipping-events.DLT",
    "notification-events", "notification-events.DLT", "operations-events", "operations-events.DLT"})
class RestartIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void restartRebuildsEveryProcessFromTheTopicsWithoutCountingAnythingTwice(EmbeddedKafkaBroker broker) {
        String brokers = broker.getBrokersAsString();
        OrderStory completed = CollectorTestSupport.story("ord-before-restart-1");
        OrderStory running = CollectorTestSupport.story("ord-before-restart-2");
        try (ServiceProducer services = new ServiceProducer(brokers)) {
            services.publish(completed.placed(), 0);
            services.publish(completed.reserved(), 0);
            services.publish(completed.paid(), 0);
            services.publish(completed.shipped(), 0);
            services.publish(completed.notified("OrderShipped", NotificationKind.ORDER_COMPLETED), 0);
            services.publish(running.placed(), 1);
            services.publish(running.reserved(), 1);

            try (ConfigurableApplicationContext first = start(brokers)) {
                ProcessStore store = first.getBean(ProcessStore.class);
                await().atMost(PATIENCE).untilAsserted(() -> {
                    assertThat(outcome(store, completed)).isEqualTo(Outcome.COMPLETED);
                    assertThat(outcome(store, running)).isEqualTo(Outcome.RUNNING);
                });
                assertThat(counter(first, "choreo.processes.started")).isEqualTo(2);
                assertThat(counter(first, "choreo.processes.ended")).isEqualTo(1);
                awaitCommitted(brokers, 7);
            }

            try (ConfigurableApplicationContext second = start(brokers)) {
                ProcessStore store = second.getBean(ProcessStore.class);
                await().atMost(PATIENCE).untilAsserted(() -> {
                    assertThat(outcome(store, completed)).isEqualTo(Outcome.COMPLETED);
                    assertThat(outcome(store, running)).isEqualTo(Outcome.RUNNING);
                });
                assertThat(view(store, completed).timeline()).hasSize(5);
                assertThat(view(store, running).timeline()).hasSize(2);
                assertThat(counter(second, "choreo.processes.started")).as("replayed, counted by the first run").isZero();
                assertThat(counter(second, "choreo.processes.ended")).isZero();

                OrderStory after = CollectorTestSupport.story("ord-after-restart");
                services.publish(running.paid(), 1);
                services.publish(after.placed(), 0);
                await().atMost(PATIENCE).untilAsserted(() -> {
                    assertThat(view(store, running).timeline()).hasSize(3);
                    assertThat(counter(second, "choreo.processes.started")).isEqualTo(1);
                });
            }
        }
    }

    private static ConfigurableApplicationContext start(String brokers) {
        return new SpringApplicationBuilder(CollectorApplication.class).run("--spring.kafka.bootstrap-servers=" + brokers,
                "--server.port=0", "--spring.profiles.active=local", "--choreo.local.data-dir=target/restart-test");
    }

    private static Outcome outcome(ProcessStore store, OrderStory story) {
        return store.find(story.correlationId).map(ProcessView::outcome).orElse(null);
    }

    private static ProcessView view(ProcessStore store, OrderStory story) {
        return store.find(story.correlationId).orElseThrow();
    }

    private static double counter(ConfigurableApplicationContext context, String name) {
        return context.getBean(MeterRegistry.class).find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** The first run acknowledges each batch it applied: wait until all records are committed. */
    private static void awaitCommitted(String brokers, long records) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            await().atMost(PATIENCE).until(() -> admin.listConsumerGroupOffsets("tracing-collector")
                    .partitionsToOffsetAndMetadata().get().values().stream()
                    .mapToLong(offset -> offset == null ? 0 : offset.offset()).sum() >= records);
        }
    }
}
