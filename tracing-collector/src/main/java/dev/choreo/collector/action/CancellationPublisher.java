package dev.choreo.collector.action;

import dev.choreo.collector.CollectorProperties;
import dev.choreo.collector.metrics.CollectorMetrics;
import dev.choreo.collector.process.TimeoutHandler;
import dev.choreo.events.EventCatalog;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventHeaders;
import dev.choreo.events.EventJson;
import dev.choreo.events.Topics;
import dev.choreo.events.operations.ProcessCancellationRequested;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
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

    CancellationPublisher(KafkaTemplate<byte[], byte[]> template, Clock clock, CollectorMetrics metrics,
            CollectorProperties properties) {
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
                publish(correlationId, orderId, partition, reason, "tracing-collector (timeout)");
                metrics.action("timeout");
            } catch (RuntimeException e) {
                log.error("Could not publish the timeout cancellation of process {}", correlationId, e);
            }
        });
    }

    @Override
    public void destroy() {
        timeouts.shutdown();
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
