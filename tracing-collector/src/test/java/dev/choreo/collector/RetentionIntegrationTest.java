package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.collector.CollectorTestSupport.ServiceProducer;
import dev.choreo.collector.flow.Outcome;
import dev.choreo.collector.process.ProcessStore;
import dev.choreo.collector.process.ProcessView;
import dev.choreo.events.Topics;
import dev.choreo.events.notification.NotificationKind;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Retention deletes the oldest records of each topic-partition (it moves the log start offset). A process whose first
 * events are gone is rebuilt after a restart from what is left: a cause older than the log start counts as present,
 * so the process ends as it did, instead of coming back as a phantom that waits for its head forever.
 */
@EmbeddedKafka(partitions = 2, brokerProperties = {"offsets.topic.num.partitions=1",
    "group.initial.rebalance.delay.ms=0"}, topics = {"order-events", "order-events.DLT", "inventory-events",
    "inventory-events.DLT", "payment-events", "payment-events.DLT", "shipping-events", "shipping-events.DLT",
    "notification-events", "notification-events.DLT", "operations-events", "operations-events.DLT"})
class RetentionIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void aProcessWhoseHeadRetentionCutIsRebuiltWithoutAPhantom(EmbeddedKafkaBroker broker) throws Exception {
        String brokers = broker.getBrokersAsString();
        OrderStory headCut = CollectorTestSupport.story("ord-head-cut");
        OrderStory later = CollectorTestSupport.story("ord-later");
        try (ServiceProducer services = new ServiceProducer(brokers)) {
            for (OrderStory story : new OrderStory[] {headCut, later}) {
                services.publish(story.placed(), 0);
                services.publish(story.reserved(), 0);
                services.publish(story.paid(), 0);
                services.publish(story.shipped(), 0);
                services.publish(story.notified("OrderShipped", NotificationKind.ORDER_COMPLETED), 0);
            }
            try (ConfigurableApplicationContext first = start(brokers)) {
                ProcessStore store = first.getBean(ProcessStore.class);
                await().atMost(PATIENCE).untilAsserted(() -> {
                    assertThat(outcome(store, headCut)).isEqualTo(Outcome.COMPLETED);
                    assertThat(outcome(store, later)).isEqualTo(Outcome.COMPLETED);
                });
            }
        }
        // what retention does: the first OrderPlaced and InventoryUpdated of partition 0 are gone
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.deleteRecords(Map.of(new TopicPartition(Topics.ORDER_EVENTS, 0), RecordsToDelete.beforeOffset(1),
                    new TopicPartition(Topics.INVENTORY_EVENTS, 0), RecordsToDelete.beforeOffset(1))).all().get();
        }

        try (ConfigurableApplicationContext second = start(brokers)) {
            ProcessStore store = second.getBean(ProcessStore.class);
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(outcome(store, later)).isEqualTo(Outcome.COMPLETED);
                assertThat(outcome(store, headCut)).isEqualTo(Outcome.COMPLETED);
            });
            assertThat(store.find(headCut.correlationId).orElseThrow().timeline())
                    .extracting(ProcessView.Entry::eventType)
                    .containsExactlyInAnyOrder("OrderPayed", "OrderShipped", "CustomerNotified");
            assertThat(store.list(Outcome.STUCK, 10)).isEmpty();
            assertThat(store.counts().open()).isZero();
        }
    }

    /** A quiet deadline of two seconds: a phantom (a process that cannot end) would be flagged STUCK within the test. */
    private static ConfigurableApplicationContext start(String brokers) {
        return new SpringApplicationBuilder(CollectorApplication.class).run("--spring.kafka.bootstrap-servers=" + brokers,
                "--server.port=0", "--choreo.flow.quiet-deadline=2s");
    }

    private static Outcome outcome(ProcessStore store, OrderStory story) {
        return store.find(story.correlationId).map(ProcessView::outcome).orElse(null);
    }
}
