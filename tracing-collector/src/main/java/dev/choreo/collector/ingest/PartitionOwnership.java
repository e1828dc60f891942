package dev.choreo.collector.ingest;

import dev.choreo.collector.process.ProcessStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.stereotype.Component;

/**
 * Decides where each assigned topic-partition is read from. The state lives in memory, so a topic-partition
 * new to this instance is read from the beginning (a restart, or a partition taken over from another
 * instance): the processes are rebuilt from the retained events. The group's committed offset marks what an
 * earlier owner already counted: records below it rebuild state without touching the counters. A
 * topic-partition this instance already holds continues where it stopped.
 */
@Component
class PartitionOwnership implements ConsumerAwareRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(PartitionOwnership.class);
    private static final Duration ASK_FOR = Duration.ofSeconds(5);

    private final ProcessStore store;
    private final IngestHealthIndicator readiness;
    private final AppendClock appendClock;
    private final Clock clock;
    private final Map<TopicPartition, Long> horizons = new ConcurrentHashMap<>();
    /** Which consumer of this instance owns each topic-partition (several with listener concurrency). */
    private final Map<TopicPartition, Consumer<?, ?>> owners = new HashMap<>();
    private final Set<TopicPartition> released = new HashSet<>();

    PartitionOwnership(ProcessStore store, IngestHealthIndicator readiness, AppendClock appendClock, Clock clock) {
        this.store = store;
        this.readiness = readiness;
        this.appendClock = appendClock;
        this.clock = clock;
    }

    /** True when a record was not counted by an earlier owner of its partition. */
    boolean isLive(String topic, int partition, long offset) {
        Long horizon = horizons.get(new TopicPartition(topic, partition));
        return horizon == null || offset >= horizon;
    }

    @Override
    public void onPartitionsRevokedAfterCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        release(consumer, partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        release(consumer, partitions);
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        List<TopicPartition> fresh = new ArrayList<>();
        synchronized (this) {
            partitions.forEach(tp -> owners.put(tp, consumer));
            // revoked and not given back to any consumer here: forget them (an eager rebalance revokes first)
            for (TopicPartition tp : released) {
                if (!owners.containsKey(tp)) {
                    store.untrack(tp.topic(), tp.partition());
                    horizons.remove(tp);
                }
            }
            released.clear();
            for (TopicPartition tp : partitions) {
                long position = store.position(tp.topic(), tp.partition());
                if (position >= 0) {
                    consumer.seek(tp, position);
                } else {
                    fresh.add(tp);
                }
            }
        }
        Map<TopicPartition, Long> logStarts = Map.of();
        if (!fresh.isEmpty()) {
            logStarts = rebuildFromTheBeginning(consumer, fresh);
        }
        Map<TopicPartition, Long> ends = Map.of();
        long askedAt = clock.millis();
        if (!partitions.isEmpty()) {
            try {
                ends = consumer.endOffsets(partitions, ASK_FOR);
            } catch (KafkaException e) {
                log.warn("Could not read the end offsets of {} assigned partitions: {}", partitions.size(),
                        e.getMessage());
            }
        }
        long answeredAt = clock.millis();
        // what was there at assignment was appended by now, what comes later after: brackets append times
        ends.forEach((tp, end) -> appendClock.of(tp.topic(), tp.partition()).sample(end, askedAt, answeredAt));
        for (TopicPartition tp : fresh) {
            Long logStart = logStarts.get(tp);
            Long end = ends.get(tp);
            if (logStart != null && end != null) {
                store.rebuilding(tp.topic(), tp.partition(), logStart, end);
            }
        }
        readiness.assigned(consumer, partitions, ends);
    }

    /** @return where each log starts now (retention moves it), or nothing if Kafka did not say */
    private Map<TopicPartition, Long> rebuildFromTheBeginning(Consumer<?, ?> consumer, List<TopicPartition> fresh) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(fresh));
        for (TopicPartition tp : fresh) {
            OffsetAndMetadata offset = committed.get(tp);
            long horizon = offset == null ? 0 : offset.offset();
            horizons.put(tp, horizon);
            store.track(tp.topic(), tp.partition(), horizon);
        }
        consumer.seekToBeginning(fresh);
        log.info("Rebuilding from the beginning of {} topic-partitions (counting from the committed offsets on)",
                fresh.size());
        try {
            return consumer.beginningOffsets(fresh, ASK_FOR);
        } catch (KafkaException e) {
            log.warn("Could not read the log start offsets of {} partitions: {}", fresh.size(), e.getMessage());
            return Map.of();
        }
    }

    private synchronized void release(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        List<TopicPartition> gone = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            if (owners.get(tp) == consumer) {
                owners.remove(tp);
                released.add(tp);
                gone.add(tp);
            }
        }
        readiness.released(consumer, gone);
        appendClock.forget(gone);
    }
}
