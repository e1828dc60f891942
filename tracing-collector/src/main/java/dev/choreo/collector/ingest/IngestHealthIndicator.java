package dev.choreo.collector.ingest;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.event.ConsumerStoppingEvent;
import org.springframework.stereotype.Component;

/**
 * The collector's readiness (health contributor {@code ingest}, in the readiness group): OUT_OF_SERVICE until its
 * consumer has been assigned its partitions and has read every one of them up to the end offset it had when it
 * was assigned. Before that, a 404 or a missing STUCK flag means "not read yet", not "did not happen". Later
 * lag does not take the instance out of service: the watermarks keep a lagging collector from false alarms. Nor
 * does a broker outage (the detail {@code broker} says since when, and where the deadlines are held).
 */
@Component
class IngestHealthIndicator implements HealthIndicator {

    private static final Duration ASK_FOR = Duration.ofSeconds(5);
    /** The end offset was not known at assignment: caught up once the consumer's lag there is zero. */
    private static final long UNKNOWN = -1;

    /** Owned topic-partitions not read to their end offset at assignment yet, per consumer. */
    private final Map<TopicPartition, Target> backlog = new ConcurrentHashMap<>();
    private final java.util.Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
    /**
     * Consumers that gave partitions up and have not been assigned their new ones yet: an eager rebalance revokes
     * everything first, and until it assigns, what this instance will own is neither known nor read.
     */
    private final java.util.Set<Consumer<?, ?>> rebalancing = ConcurrentHashMap.newKeySet();
    /**
     * Consumers being closed because their container stops: what they give up is no rebalance this instance waits
     * on (a restarted container brings a new consumer). Weak, as a closed consumer is not kept for anything else.
     */
    private final java.util.Set<Consumer<?, ?>> closing =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private volatile boolean assigned;
    private final ReadToEndConfirmer broker;

    IngestHealthIndicator(ReadToEndConfirmer broker) {
        this.broker = broker;
    }

    private record Target(Consumer<?, ?> consumer, long endOffset) {
    }

    /**
     * Called on the consumer thread when partitions are assigned, after their positions were set, with their end
     * offsets then (missing where Kafka did not answer: those count as read once the consumer's lag is zero).
     */
    void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions, Map<TopicPartition, Long> ends) {
        for (TopicPartition tp : partitions) {
            Long end = ends.get(tp);
            backlog.put(tp, new Target(consumer, end == null ? UNKNOWN : end));
        }
        owned.addAll(partitions);
        progress(consumer);
        assigned = true;
        rebalancing.remove(consumer);
    }

    /** Called on the consumer thread when partitions are revoked or lost (a rebalance is under way). */
    void released(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty() && !closing.contains(consumer)) {
            rebalancing.add(consumer);
        }
        partitions.forEach(backlog::remove);
        owned.removeAll(partitions);
    }

    /** Published on the consumer's thread before the container unsubscribes and closes it. */
    @EventListener
    void stopping(ConsumerStoppingEvent event) {
        closing.add(event.getConsumer());
        rebalancing.remove(event.getConsumer());
    }

    /** Called on a consumer's thread after each batch and when idle: drops what it has read to the target. */
    void progress(Consumer<?, ?> consumer) {
        if (backlog.isEmpty()) {
            return;
        }
        backlog.entrySet().removeIf(entry -> entry.getValue().consumer() == consumer
                && caughtUp(consumer, entry.getKey(), entry.getValue().endOffset()));
    }

    private static boolean caughtUp(Consumer<?, ?> consumer, TopicPartition tp, long endOffset) {
        try {
            if (endOffset == UNKNOWN) {
                var lag = consumer.currentLag(tp);
                return lag.isPresent() && lag.getAsLong() == 0;
            }
            return endOffset == 0 || consumer.position(tp, ASK_FOR) >= endOffset;
        } catch (KafkaException | IllegalStateException e) {
            // not positioned yet, or no longer ours: asked again after the next batch
            return false;
        }
    }

    @Override
    public Health health() {
        if (!assigned) {
            return Health.outOfService().withDetail("reason", "no partitions assigned yet").build();
        }
        if (!rebalancing.isEmpty()) {
            return Health.outOfService().withDetail("reason", "rebalancing: partitions given up, new ones not assigned yet")
                    .build();
        }
        int behind = backlog.size();
        if (behind > 0) {
            return Health.outOfService().withDetail("reason", "reading what was in Kafka when the partitions were assigned")
                    .withDetail("partitionsBehind", behind).withDetail("partitionsOwned", owned.size()).build();
        }
        Health.Builder up = Health.up().withDetail("partitionsOwned", owned.size());
        // still up: what was read is served, and no deadline runs on while Kafka cannot be asked
        broker.outage().ifPresent(outage -> up.withDetail("broker", outage));
        return up.build();
    }
}
