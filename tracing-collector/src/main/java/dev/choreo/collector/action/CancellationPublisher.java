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
 * flight is cancelled and compensation starts. Serves the operator's cancel and the optional timeout, which
 * never requests what the log shows was requested already.
 */
@Component
public class CancellationPublisher implements TimeoutHandler, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CancellationPublisher.class);
    private static final Duration RETRY_CONFIRMATION = Duration.ofSeconds(1);
    private static final String CANCELLATION_REQUESTED = EventCatalog.typeOf(ProcessCancellationRequested.class)
            .name();
    /** The payload's requestedBy of an automatic cancellation. */
    private static final String AUTO_CANCEL = "tracing-collector (timeout)";

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
        ProducerRecord<byte[], byte[]> record = cancellation(correlationId, orderId, partition, reason, requestedBy);
        RecordMetadata sent = send(record);
        return new ActionResult("cancel", correlationId, CANCELLATION_REQUESTED, eventId(record), sent.topic(),
                sent.partition(), sent.offset());
    }

    private ProducerRecord<byte[], byte[]> cancellation(String correlationId, String orderId, int partition,
            String reason, String requestedBy) {
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
        return record;
    }

    private static String eventId(ProducerRecord<byte[], byte[]> record) {
        return new String(record.headers().lastHeader(EventHeaders.EVENT_ID).value(), StandardCharsets.UTF_8);
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

    /**
     * The timer's decision to cancel is recorded by the publish itself: the request lands on
     * {@code operations-events}, which the collector reads back onto the process's timeline. So the check below
     * ("is a cancellation already on the timeline?") is answered from the log, and a restarted collector does not
     * ask twice. A decision whose publish failed is taken again a second later; one lost with the JVM before Kafka
     * acknowledged it is taken again after the restart (nothing is in the log, the process is still stuck).
     */
    @Override
    public void timedOut(String correlationId, String orderId, int partition, String reason) {
        timeouts.execute(() -> {
            ProcessStore processes = store.getObject();
            try {
                // never cancel a process that is moving: first make sure nothing of it is waiting unread in Kafka
                // (after a broker outage the consumer may not have fetched yet), then look at the process again
                if (!readToTheEnd(partition)) {
                    processes.deferAutoCancel(correlationId, partition, RETRY_CONFIRMATION);
                    return;
                }
                if (!processes.confirmAutoCancel(correlationId, partition)) {
                    log.info("Auto-cancel of process {} dropped: it moved", correlationId);
                    return;
                }
                if (cancellationOnTimeline(processes, correlationId)) {
                    // an earlier run (or an operator) asked already; order-service decides once it reads that
                    // request, a second one changes nothing. The in-memory flag stays set: not asked again
                    log.info("Auto-cancel of process {} not published: its cancellation was requested before",
                            correlationId);
                    return;
                }
                ProducerRecord<byte[], byte[]> record = cancellation(correlationId, orderId, partition, reason,
                        AUTO_CANCEL);
                // wait for Kafka's final answer, not a timeout: a send that timed out here may still be written,
                // and a retry then would cancel twice
                template.send(record).whenComplete((sent, failure) -> {
                    if (failure == null) {
                        metrics.action("timeout");
                    } else {
                        log.warn("Auto-cancel of process {} not published, deciding again in {}: {}", correlationId,
                                RETRY_CONFIRMATION, failure.getMessage());
                        processes.deferAutoCancel(correlationId, partition, RETRY_CONFIRMATION);
                    }
                });
            } catch (RuntimeException e) {
                log.warn("Auto-cancel of process {} not published, deciding again in {}: {}", correlationId,
                        RETRY_CONFIRMATION, e.getMessage());
                processes.deferAutoCancel(correlationId, partition, RETRY_CONFIRMATION);
            }
        });
    }

    private static boolean cancellationOnTimeline(ProcessStore processes, String correlationId) {
        return processes.find(correlationId).stream().flatMap(process -> process.timeline().stream())
                .anyMatch(entry -> CANCELLATION_REQUESTED.equals(entry.eventType()));
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
