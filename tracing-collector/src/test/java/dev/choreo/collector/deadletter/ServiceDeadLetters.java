package dev.choreo.collector.deadletter;

import dev.choreo.collector.CollectorHeaders;
import dev.choreo.collector.CollectorTestSupport.ServiceProducer;
import dev.choreo.collector.OrderStory;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Dead-letters records as the services' dead-lettering (messaging-starter's DeadLetters) does: {@code T.DLT}, same
 * partition, key and value, the original headers plus the {@code kafka_dlt-*} headers and {@code dlt-reason}.
 */
public final class ServiceDeadLetters {

    private ServiceDeadLetters() {
    }

    /** Publishes the event, then dead-letters it; returns the original record with the dead letter's headers. */
    public static ProducerRecord<byte[], byte[]> deadLetter(ServiceProducer services, EventEnvelope<?> event,
            int partition, String reason, String group) {
        ProducerRecord<byte[], byte[]> original = OrderStory.record(event, partition);
        return deadLetter(services, original, services.send(original), reason, group);
    }

    /** Dead-letters a record published before (at {@code at}). */
    public static ProducerRecord<byte[], byte[]> deadLetter(ServiceProducer services,
            ProducerRecord<byte[], byte[]> original, RecordMetadata at, String reason, String group) {
        Headers headers = new RecordHeaders(original.headers().toArray());
        addDeadLetterHeaders(headers, at.topic(), at.partition(), at.offset(), reason, group);
        services.send(new ProducerRecord<>(Topics.deadLetterOf(at.topic()), at.partition(), original.key(),
                original.value(), headers));
        return new ProducerRecord<>(at.topic(), at.partition(), original.key(), original.value(), headers);
    }

    /** A re-driven record fails again: its dead letter copies its headers (the re-drive count among them). */
    public static void deadLetterAgain(ServiceProducer services, ConsumerRecord<byte[], byte[]> record, String reason,
            String group) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        addDeadLetterHeaders(headers, record.topic(), record.partition(), record.offset(), reason, group);
        services.send(new ProducerRecord<>(Topics.deadLetterOf(record.topic()), record.partition(), record.key(),
                record.value(), headers));
    }

    private static void addDeadLetterHeaders(Headers headers, String topic, int partition, long offset, String reason,
            String group) {
        headers.add(CollectorHeaders.DLT_ORIGINAL_TOPIC, utf8(topic))
                .add(CollectorHeaders.DLT_ORIGINAL_PARTITION, ByteBuffer.allocate(4).putInt(partition).array())
                .add(CollectorHeaders.DLT_ORIGINAL_OFFSET, ByteBuffer.allocate(8).putLong(offset).array())
                .add(CollectorHeaders.DLT_ORIGINAL_GROUP, utf8(group))
                .add(CollectorHeaders.DLT_EXCEPTION_CLASS,
                        utf8("org.springframework.kafka.listener.ListenerExecutionFailedException"))
                .add(CollectorHeaders.DLT_EXCEPTION_MESSAGE, utf8("handler failed"))
                .add(CollectorHeaders.DLT_REASON, utf8(reason));
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
