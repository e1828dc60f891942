package dev.choreo.collector.deadletter;

import dev.choreo.collector.CollectorHeaders;
import dev.choreo.collector.ingest.RecordDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * What the workbench keeps of one dead letter to list and filter it; the record itself (value, headers) stays in
 * Kafka and is read by offset when someone inspects or re-drives it.
 *
 * @param id                {@code <dead-letter topic>:<partition>:<offset>}, the key of every action on it
 * @param timestamp         when it was dead-lettered (the dead letter's record timestamp, epoch millis)
 * @param reason            the services' {@code dlt-reason}, else the exception's simple class name
 * @param group             the consumer group that gave up ({@code kafka_dlt-original-consumer-group})
 * @param orderId           the record key (the services key by order id)
 * @param originalTopic     where the failed record was read from
 * @param redriveCount      how often the record had been re-driven already when it failed this time
 */
public record DeadLetterEntry(String id, String topic, int partition, long offset, long timestamp, String reason,
        String group, String eventType, String correlationId, String orderId, String originalTopic,
        int originalPartition, long originalOffset, int redriveCount) {

    static String idOf(String topic, int partition, long offset) {
        return topic + ":" + partition + ":" + offset;
    }

    /** @param identity the dead letter's event type and correlation id, as the envelope gives them */
    static DeadLetterEntry of(ConsumerRecord<byte[], byte[]> record, RecordDecoder.Identity identity, Interner names) {
        String reason = text(record, CollectorHeaders.DLT_REASON);
        if (reason == null) {
            String exception = text(record, CollectorHeaders.DLT_EXCEPTION_CLASS);
            reason = exception == null ? "unknown" : exception.substring(exception.lastIndexOf('.') + 1);
        }
        String originalTopic = text(record, CollectorHeaders.DLT_ORIGINAL_TOPIC);
        if (originalTopic == null) {
            // a dead letter written without the standard headers: T.DLT comes from T, same partition
            originalTopic = record.topic().substring(0, record.topic().length() - ".DLT".length());
        }
        Header partition = record.headers().lastHeader(CollectorHeaders.DLT_ORIGINAL_PARTITION);
        Header offset = record.headers().lastHeader(CollectorHeaders.DLT_ORIGINAL_OFFSET);
        String count = text(record, RedriveHeaders.COUNT);
        return new DeadLetterEntry(idOf(record.topic(), record.partition(), record.offset()),
                names.intern(record.topic()), record.partition(), record.offset(), record.timestamp(),
                names.intern(reason), names.intern(text(record, CollectorHeaders.DLT_ORIGINAL_GROUP)),
                names.intern(identity.eventType()), identity.correlationId(),
                record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                names.intern(originalTopic),
                partition == null ? record.partition() : (int) number(partition.value(), record.partition()),
                offset == null ? -1 : number(offset.value(), -1), count == null ? 0 : (int) parse(count, 0));
    }

    /** Spring Kafka writes the original partition and offset as binary int and long; some writers as text. */
    private static long number(byte[] value, long fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.length == Integer.BYTES) {
            return ByteBuffer.wrap(value).getInt();
        }
        if (value.length == Long.BYTES) {
            return ByteBuffer.wrap(value).getLong();
        }
        return parse(new String(value, StandardCharsets.UTF_8), fallback);
    }

    private static long parse(String text, long fallback) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static String text(ConsumerRecord<byte[], byte[]> record, String header) {
        Header found = record.headers().lastHeader(header);
        return found == null || found.value() == null ? null : new String(found.value(), StandardCharsets.UTF_8);
    }
}
