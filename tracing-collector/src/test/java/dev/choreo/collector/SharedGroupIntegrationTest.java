package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.collector.CollectorTestSupport.ServiceProducer;
import dev.choreo.collector.flow.Outcome;
import dev.choreo.collector.process.ProcessStore;
import dev.choreo.collector.process.ProcessView;
import dev.choreo.events.notification.NotificationKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Two instances in one consumer group share the partitions: the range assignor gives each the same partition
 * numbers of every topic, so each process is whole on exactly one instance; when one leaves, the other takes
 * its partitions over and rebuilds their processes.
 */
@EmbeddedKafka(partitions = 4, brokerProperties = {"offsets.topic.num.partitions=1",
    "group.initial.rebalance.delay.ms=0"}, topics = {"order-events", "order-events.DLT", "inventory-events",
    "inventory-events.DLT", "payment-events", "payment-events.DLT", "shipping-events", "shipping-events.DLT",
    "notification-events", "notification-events.DLT", "operations-events", "operations-events.DLT"})
class SharedGroupIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(40);

    @Test
    void instancesSplitThePartitionsAndEachProcessLivesOnOne(EmbeddedKafkaBroker broker) {
        String brokers = broker.getBrokersAsString();
        List<OrderStory> stories = new ArrayList<>();
        try (ServiceProducer services = new ServiceProducer(brokers);
                ConfigurableApplicationContext first = start(brokers);
                ConfigurableApplicationContext second = start(brokers)) {
            ProcessStore one = first.getBean(ProcessStore.class);
            ProcessStore two = second.getBean(ProcessStore.class);
            await().atMost(PATIENCE).until(() -> one.ownedPartitions().size() == 2 && two.ownedPartitions().size() == 2);
            SortedSet<Integer> all = new TreeSet<>(one.ownedPartitions());
            all.addAll(two.ownedPartitions());
            assertThat(all).containsExactly(0, 1, 2, 3);

            for (int partition = 0; partition < 4; partition++) {
                OrderStory story = CollectorTestSupport.story("ord-shared-" + partition);
                services.publish(story.placed(), partition);
                services.publish(story.rejected(), partition);
                services.publish(story.notified("InventoryRejected", NotificationKind.ORDER_REJECTED), partition);
                stories.add(story);
            }
            await().atMost(PATIENCE).untilAsserted(() -> {
                for (OrderStory story : stories) {
                    Optional<ProcessView> onOne = one.find(story.correlationId);
                    Optional<ProcessView> onTwo = two.find(story.correlationId);
                    assertThat(onOne.isPresent() ^ onTwo.isPresent()).as(story.orderId + " on exactly one").isTrue();
                    assertThat(onOne.or(() -> onTwo).orElseThrow().outcome()).isEqualTo(Outcome.COMPENSATED);
                    assertThat(onOne.or(() -> onTwo).orElseThrow().timeline()).hasSize(3);
                }
            });

            second.close();
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(one.ownedPartitions()).containsExactly(0, 1, 2, 3);
                for (OrderStory story : stories) {
                    assertThat(one.find(story.correlationId)).map(ProcessView::outcome).contains(Outcome.COMPENSATED);
                }
            });
        }
    }

    private static ConfigurableApplicationContext start(String brokers) {
        return new SpringApplicationBuilder(CollectorApplication.class).run("--spring.kafka.bootstrap-servers=" + brokers,
                "--server.port=0");
    }
}
