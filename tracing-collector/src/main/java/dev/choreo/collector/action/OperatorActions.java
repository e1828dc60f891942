package dev.choreo.collector.action;

import dev.choreo.collector.CollectorHeaders;
import dev.choreo.collector.CollectorProperties;
import dev.choreo.collector.metrics.CollectorMetrics;
import dev.choreo.collector.process.ProcessStore;
import dev.choreo.collector.process.ProcessView;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Service;

/**
 * What an operator can do about a stuck process. Both actions publish records that the collector then consumes
 * like any other, so they land on the timeline from the log (and survive a restart), not from memory.
 */
@Service
public class OperatorActions {

    private static final String FETCH_GROUP = "tracing-collector-redrive";

    private final ProcessStore store;
    private final CancellationPublisher cancellations;
    private final ConsumerFactory<?, ?> consumerFactory;
    private final CollectorMetrics metrics;
    private final Clock clock;
    private final Duration timeout;

    OperatorActions(ProcessStore store, CancellationPublisher cancellations,
            ConsumerFactory<?, ?> consumerFactory, CollectorMetrics metrics, Clock clock,
            CollectorProperties properties) {
        this.store = store;
        this.cancellations = cancellations;
        this.consumerFactory = consumerFactory;
        this.metrics = metrics;
        this.clock = clock;
        this.timeout = properties.diagnosis().adminTimeout();
    }

    /**
     * Re-publishes the event the process waits on, byte for byte with its headers, to the same topic and
     * partition. Safe because every consumer is idempotent on the event id: those that handled it skip it.
     */
    public ActionResult redrive(String correlationId, String requestedBy) {
        ProcessView process = openProcess(correlationId);
        ProcessView.Awaited awaited = process.stuckOn() != null ? process.stuckOn()
                : process.awaiting().stream().findFirst().orElseThrow(() -> new ActionRefusedException(
                        "process " + correlationId + " awaits no event: nothing to re-drive"));
        ProcessView.EventRef cause = awaited.cause();
        ConsumerRecord<byte[], byte[]> original = fetch(cause);
        ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(cause.topic(), cause.partition(), original.key(),
                original.value());
        for (Header header : original.headers()) {
            if (!header.key().equals(CollectorHeaders.REDRIVEN_BY) && !header.key().equals(CollectorHeaders.REDRIVEN_AT)) {
                copy.headers().add(header);
            }
        }
        copy.headers().add(CollectorHeaders.REDRIVEN_BY, requestedBy.getBytes(StandardCharsets.UTF_8))
                .add(CollectorHeaders.REDRIVEN_AT, Long.toString(clock.millis()).getBytes(StandardCharsets.UTF_8));
        RecordMetadata sent = cancellations.send(copy);
        metrics.action("redrive");
        return new ActionResult("redrive", correlationId, cause.eventType(), cause.eventId(), sent.topic(),
                sent.partition(), sent.offset());
    }

    /** Publishes the cancellation request that starts compensation (order-service decides). */
    public ActionResult cancel(String correlationId, String reason, String requestedBy) {
        ProcessView process = openProcess(correlationId);
        if (process.orderId() == null) {
            throw new ActionRefusedException("process " + correlationId + " has no order id to cancel");
        }
        ActionResult result = cancellations.publish(correlationId, process.orderId(), process.partition(), reason,
                requestedBy);
        metrics.action("cancel");
        return result;
    }

    private ProcessView openProcess(String correlationId) {
        ProcessView process = store.find(correlationId).orElseThrow(() -> new ProcessNotFoundException(correlationId));
        if (process.outcome().isEnd()) {
            throw new ActionRefusedException("process " + correlationId + " already ended " + process.outcome());
        }
        return process;
    }

    @SuppressWarnings("unchecked") // the consumer factory is configured with byte[] deserializers
    private ConsumerRecord<byte[], byte[]> fetch(ProcessView.EventRef event) {
        TopicPartition tp = new TopicPartition(event.topic(), event.partition());
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        try (Consumer<byte[], byte[]> consumer = (Consumer<byte[], byte[]>) consumerFactory.createConsumer(FETCH_GROUP,
                null, null, overrides)) {
            consumer.assign(List.of(tp));
            long beginning = consumer.beginningOffsets(List.of(tp), timeout).get(tp);
            if (beginning > event.offset()) {
                throw new RecordGoneException(event.eventType() + " at " + tp + "@" + event.offset()
                        + " is gone (the topic now starts at " + beginning + ")");
            }
            consumer.seek(tp, event.offset());
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == event.offset()) {
                        return record;
                    }
                    throw new RecordGoneException(event.eventType() + " at " + tp + "@" + event.offset()
                            + " is gone (compacted away)");
                }
            }
            throw new ActionFailedException("could not read " + tp + "@" + event.offset() + " within " + timeout, null);
        }
    }
}
