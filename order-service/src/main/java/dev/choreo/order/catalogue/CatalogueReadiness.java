package dev.choreo.order.catalogue;

import dev.choreo.events.Topics;
import dev.choreo.messaging.readiness.ReadinessCondition;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * order-service is not ready before it can price orders: its catalogue replica must have read the catalogue topic.
 * Without this, a fresh order-service reported ready while its replica was still empty, and the first order the
 * launcher suggested was refused as an unknown SKU.
 *
 * <p>Caught up means: at a moment the replica's consumer is idle (it has handled everything its polls returned),
 * its position on every partition has reached the partition's end offset, so it has read every record that existed
 * when it started; and the replica holds at least one product. The second half matters on a cold start, when
 * order-service may look at the topic before inventory-service has published its catalogue into it: an empty
 * catalogue prices no order. A suite without inventory-service therefore never has a ready order-service, which is
 * the truth.
 *
 * <p>The position is only consistent on the consumer's own thread, so the check runs there, on the idle events
 * this class turns on for the catalogue listener ({@link #postProcess}); a health check only reads its result.
 */
@Component(CatalogueReadiness.BEAN_NAME)
class CatalogueReadiness implements ReadinessCondition,
        ContainerPostProcessor<Object, Object, AbstractMessageListenerContainer<Object, Object>> {

    /** Also the name readiness details show the condition under. */
    static final String BEAN_NAME = "catalogueReplica";
    /** How long the consumer is without records before it checks: about how soon readiness follows the last one. */
    private static final Duration IDLE_CHECK_INTERVAL = Duration.ofMillis(100);

    private final Catalogue catalogue;
    private volatile String waitingFor = "the catalogue consumer has not started yet";

    CatalogueReadiness(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Override
    public Optional<String> waitingFor() {
        return Optional.ofNullable(waitingFor);
    }

    /**
     * Turns on the idle events the check runs on; the catalogue listener names this bean as its post-processor. The
     * container only looks for idleness between polls, and an idle poll waits its whole timeout (5 s by default),
     * so the poll timeout is shortened to the same interval: an empty poll costs next to nothing.
     */
    @Override
    public void postProcess(AbstractMessageListenerContainer<Object, Object> container) {
        container.getContainerProperties().setIdleEventInterval(IDLE_CHECK_INTERVAL.toMillis());
        container.getContainerProperties().setPollTimeout(IDLE_CHECK_INTERVAL.toMillis());
    }

    /** On the consumer's thread: Spring Kafka publishes idle events synchronously from the polling loop. */
    @EventListener
    void onIdle(ListenerContainerIdleEvent idle) {
        MessageListenerContainer container = idle.getContainer(MessageListenerContainer.class);
        if (waitingFor == null || !CatalogueListener.ID.equals(container.getListenerId())) {
            return;
        }
        try {
            waitingFor = check(idle.getConsumer(), idle.getTopicPartitions());
        } catch (RuntimeException e) {
            // the broker or the database is away: not caught up as far as we know; never break the polling loop
            waitingFor = "cannot check the catalogue replica: " + e;
        }
    }

    private String check(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        if (assigned == null || assigned.isEmpty()) {
            return "no partition of " + Topics.PRODUCT_CATALOGUE + " assigned yet";
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
        String behind = assigned.stream()
                .filter(partition -> consumer.position(partition) < ends.get(partition))
                .map(partition -> partition + " at " + consumer.position(partition) + " of " + ends.get(partition))
                .collect(Collectors.joining(", "));
        if (!behind.isEmpty()) {
            return "reading the catalogue: " + behind;
        }
        if (catalogue.isEmpty()) {
            return "no product catalogued yet: inventory-service has not published its catalogue";
        }
        return null;
    }
}
