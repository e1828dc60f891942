package dev.choreo.collector.action;

import dev.choreo.collector.CollectorProperties;
import dev.choreo.collector.diagnosis.ConsumerGroupProbe;
import dev.choreo.collector.ingest.AppendClock;
import dev.choreo.collector.metrics.CollectorMetrics;
import dev.choreo.collector.process.ProcessStore;
import dev.choreo.collector.process.TimeoutHandler;
import dev.choreo.events.EventCatalog;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventHeaders;
import dev.choreo.events.EventJson;
import dev.choreo.events.Topics;
import dev.choreo.events.operations.ProcessCancellationRequested;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes {@code ProcessCancellationRequested} on {@code operations-events}, keyed by the order id and on the
 * process's partition number (co-partitioning), with the envelope headers. order-service decides: an order in
 * flight is cancelled and compensation starts. Serves the operator's cancel and the optional timeout.
 */
@Component
public class CancellationPublisher implements TimeoutHandler, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CancellationPublisher.class);
    private static final Duration RETRY_CONFIRMATION = Duration.ofSeconds(1);

    private final KafkaTemplate<byte[], byte[]> template;
    private final Clock clock;
    private final CollectorMetrics metrics;
    private final long timeoutMillis;
    /** Timeouts fire under a shard lock; publishing happens here, off the timer thread. */
    private final ExecutorService timeouts = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "auto-cancel");
        thread.setDaemon(true);
        return thread;
    });

    private final ObjectProvider<ProcessStore> store;
    private final AppendClock appendClock;
    private final ConsumerGroupProbe probe;

    CancellationPublisher(KafkaTemplate<byte[], byte[]> template, Clock clock, CollectorMetrics metrics,
            CollectorProperties properties, ObjectProvider<ProcessStore> store, AppendClock appendClock,
            ConsumerGroupProbe probe) {
        this.store = store;
        this.appendClock = appendClock;
        this.probe = probe;
        this.template = template;
        this.clock = clock;
        this.metrics = metrics;
        this.timeoutMillis = properties.diagnosis().adminTimeout().toMillis();
    }

    ActionResult publish(String correlationId, String orderId, int partition, String reason, String requestedBy) {
        EventEnvelope<ProcessCancellationRequested> envelope = EventEnvelope.inProcess(correlationId,
                new ProcessCancellationRequested(orderId, reason, requestedBy), EventCatalog.TRACING_COLLECTOR, clock);
        int partitions = template.partitionsFor(Topics.OPERATIONS_EVENTS).size();
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.OPERATIONS_EVENTS,
                partition < partitions ? partition : null, utf8(envelope.key()), EventJson.write(envelope));
        record.headers().add(EventHeaders.EVENT_ID, utf8(envelope.eventId().toString()))
                .add(EventHeaders.EVENT_TYPE, utf8(envelope.eventType()))
                .add(EventHeaders.SCHEMA_VERSION, utf8(Integer.toString(envelope.schemaVersion())))
                .add(EventHeaders.CORRELATION_ID, utf8(correlationId))
                .add(EventHeaders.PRODUCER, utf8(envelope.producer()));
        RecordMetadata sent = send(record);
        return new ActionResult("cancel", correlationId, envelope.eventType(), envelope.eventId().toString(),
                sent.topic(), sent.partition(), sent.offset());
    }

    RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
        try {
            return template.send(record).get(timeoutMillis, TimeUnit.MILLISECONDS).getRecordMetadata();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionFailedException("interrupted while publishing to " + record.topic(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ActionFailedException("could not publish to " + record.topic() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void timedOut(String correlationId, String orderId, int partition, String reason) {
        timeouts.execute(() -> {
            try {
                // never cancel a process that is moving: first make sure nothing of it is waiting unread in Kafka
                // (after a broker outage the consumer may not have fetched yet), then look at the process again
                if (!readToTheEnd(partition)) {
                    store.getObject().deferAutoCancel(correlationId, partition, RETRY_CONFIRMATION);
                    return;
                }
                if (!store.getObject().confirmAutoCancel(correlationId, partition)) {
                    log.info("Auto-cancel of process {} dropped: it moved", correlationId);
                    return;
                }
                publish(correlationId, orderId, partition, reason, "tracing-collector (timeout)");
                metrics.action("timeout");
            } catch (RuntimeException e) {
                log.error("Could not publish the timeout cancellation of process {}", correlationId, e);
            }
        });
    }

    /** Whether this instance has read every topic of this partition number up to the broker's end offset now. */
    private boolean readToTheEnd(int partition) {
        List<TopicPartition> partitions = store.getObject().topics(partition).stream()
                .map(topic -> new TopicPartition(topic, partition)).toList();
        try {
            Map<TopicPartition, Long> ends = probe.endOffsetsNow(partitions);
            for (TopicPartition tp : partitions) {
                Long end = ends.get(tp);
                if (end == null || appendClock.readPosition(tp.topic(), tp.partition()) < end) {
                    return false;
                }
            }
            return true;
        } catch (ConsumerGroupProbe.ProbeException e) {
            log.warn("Auto-cancel waits: could not check with Kafka that partition {} is read to the end: {}",
                    partition, e.getMessage());
            return false;
        }
    }

    @Override
    public void destroy() {
        timeouts.shutdown();
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
