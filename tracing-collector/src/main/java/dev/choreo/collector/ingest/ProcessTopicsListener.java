package dev.choreo.collector.ingest;

import dev.choreo.collector.CollectorHeaders;
import dev.choreo.collector.lag.OffsetTimes;
import dev.choreo.collector.metrics.CollectorMetrics;
import dev.choreo.collector.process.IngestedEvent;
import dev.choreo.collector.process.ProcessStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/**
 * Reads every process topic and dead-letter topic (a pattern, so topics added later are picked up) in batches.
 * The collector is a read model: a record it cannot read is counted and skipped, never retried or
 * dead-lettered.
 */
@Component
class ProcessTopicsListener {

    private final RecordDecoder decoder;
    private final ProcessStore store;
    private final PartitionOwnership ownership;
    private final CollectorMetrics metrics;
    private final IngestHealthIndicator readiness;
    private final AppendClock appendClock;
    private final OffsetTimes offsetTimes;
    private final Clock clock;

    ProcessTopicsListener(RecordDecoder decoder, ProcessStore store, PartitionOwnership ownership,
            CollectorMetrics metrics, IngestHealthIndicator readiness, AppendClock appendClock,
            OffsetTimes offsetTimes, Clock clock) {
        this.offsetTimes = offsetTimes;
        this.readiness = readiness;
        this.appendClock = appendClock;
        this.clock = clock;
        this.decoder = decoder;
        this.store = store;
        this.ownership = ownership;
        this.metrics = metrics;
    }

    @KafkaListener(id = "process-topics", idIsGroup = false, topicPattern = "${choreo.collector.topic-pattern}", batch = "true")
    void onProcessRecords(List<ConsumerRecord<byte[], byte[]>> records, Consumer<?, ?> consumer,
            Acknowledgment acknowledgment) {
        long polledAt = clock.millis();
        List<IngestedEvent> events = new ArrayList<>(records.size());
        boolean allLive = true;
        AppendClock.Bracket window = appendClock.bracket(polledAt);
        // a poll returns the records grouped by partition: one ring lookup per run
        OffsetTimes.Ring ring = null;
        String ringTopic = null;
        int ringPartition = -1;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            boolean live = ownership.isLive(record.topic(), record.partition(), record.offset());
            allLive &= live;
            window.of(record.topic(), record.partition(), record.offset());
            IngestedEvent event = decoder.decode(record, live, window.notBefore(), window.notAfter());
            if (event != null) {
                events.add(event);
            } else if (live && record.headers().lastHeader(CollectorHeaders.DEAD_LETTER_ACTION) == null) {
                metrics.unreadable(record.topic());
            }
            if (record.partition() != ringPartition || !record.topic().equals(ringTopic)) {
                ring = offsetTimes.of(record.topic(), record.partition());
                ringTopic = record.topic();
                ringPartition = record.partition();
            }
            ring.add(record.offset(), event != null ? event.appendedAt()
                    : AppendClock.appendedAt(record.timestamp(), Long.MIN_VALUE, window.notBefore(), window.notAfter()));
        }
        store.apply(events);
        metrics.ingested(events.size());
        refreshLag(consumer, polledAt);
        // committing while replaying below an earlier run's offsets would move them back: a crash then would
        // count those records again
        if (allLive) {
            acknowledgment.acknowledge();
        }
    }

    /** Without records the listener is not called: the idle event keeps the caught-up flags true to the broker. */
    @EventListener(condition = "event.listenerId.startsWith('process-topics')")
    void onIdle(ListenerContainerIdleEvent event) {
        refreshLag(event.getConsumer(), clock.millis());
    }

    /**
     * Whether this instance has read each of its topic-partitions to the end (the input of the watermarks), and
     * where each one's end was as of the poll at {@code polledAt} (the input of the append-time estimates).
     */
    private void refreshLag(Consumer<?, ?> consumer, long polledAt) {
        readiness.progress(consumer);
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(tp);
            store.caughtUp(tp.topic(), tp.partition(), lag.isPresent() && lag.getAsLong() == 0);
            if (lag.isPresent()) {
                try {
                    long position = consumer.position(tp, Duration.ZERO);
                    AppendClock.Samples samples = appendClock.of(tp.topic(), tp.partition());
                    samples.sample(position + lag.getAsLong(), polledAt, polledAt);
                    samples.position = position;
                } catch (KafkaException e) {
                    // no position yet: the next batch samples it
                }
            }
        }
    }
}
