package dev.choreo.messaging.inbox;

import dev.choreo.events.Topics;
import dev.choreo.messaging.kafka.DeadLetterBounds;
import dev.choreo.messaging.kafka.DeadLetterReason;
import dev.choreo.messaging.outbox.Outbox;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Sends a record that can never be handled to {@code <topic>.DLT}, same partition, original key, value and headers,
 * plus Spring Kafka's standard {@code kafka_dlt-*} headers and our {@code dlt-reason}. Through the outbox, in the
 * transaction of the batch: the dead letter exists if and only if the batch's other effects committed. A hostile
 * record's value, key and headers are bounded first ({@link DeadLetterBounds}), so the dead letter can always be
 * sent.
 */
class DeadLetters {

    private static final int MAX_STACK_TRACE = 4_000;

    private final Outbox outbox;
    private final String group;

    DeadLetters(Outbox outbox, String group) {
        this.outbox = outbox;
        this.group = group;
    }

    void send(ConsumerRecord<String, byte[]> record, Throwable failure) {
        Headers headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!DeadLetterBounds.isOversized(header)) {
                headers.add(header);
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        headers.add(text(KafkaHeaders.DLT_ORIGINAL_TOPIC, record.topic()));
        headers.add(new RecordHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION,
                ByteBuffer.allocate(Integer.BYTES).putInt(record.partition()).array()));
        headers.add(new RecordHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET,
                ByteBuffer.allocate(Long.BYTES).putLong(record.offset()).array()));
        headers.add(new RecordHeader(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP,
                ByteBuffer.allocate(Long.BYTES).putLong(record.timestamp()).array()));
        headers.add(text(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP, group));
        headers.add(text(KafkaHeaders.DLT_EXCEPTION_FQCN, failure.getClass().getName()));
        headers.add(text(KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN, root.getClass().getName()));
        headers.add(text(KafkaHeaders.DLT_EXCEPTION_MESSAGE, String.valueOf(failure.getMessage())));
        headers.add(text(KafkaHeaders.DLT_EXCEPTION_STACKTRACE, stackTrace(failure)));
        headers.add(text(DeadLetterReason.HEADER, DeadLetterReason.of(failure)));
        byte[] value = DeadLetterBounds.value(record.value(), headers);
        outbox.append(Topics.deadLetterOf(record.topic()), record.partition(), DeadLetterBounds.key(record.key()),
                List.of(headers.toArray()), value);
    }

    private static Header text(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String stackTrace(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        String trace = out.toString();
        return trace.length() <= MAX_STACK_TRACE ? trace : trace.substring(0, MAX_STACK_TRACE) + "…";
    }
}
