package dev.choreo.collector.deadletter;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.choreo.collector.CollectorHeaders;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One dead letter as it is in Kafka: key, value and headers as text where they are UTF-8, always as base64.
 *
 * @param cause   the reason (or exception) and the exception message
 * @param process the process it belongs to ({@code /processes/{correlationId}}), if it names one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetterInspection(DeadLetterView deadLetter, String cause, String process, String keyText,
        String valueText, String valueBase64, int valueBytes, List<HeaderView> headers) {

    /** Spring Kafka writes these as binary numbers. */
    private static final Set<String> BINARY_NUMBERS = Set.of(CollectorHeaders.DLT_ORIGINAL_PARTITION,
            CollectorHeaders.DLT_ORIGINAL_OFFSET, "kafka_dlt-original-timestamp");

    /** @param text the value as UTF-8 text (binary numbers as their decimal), or null if it is not text */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HeaderView(String name, String text, String base64) {
    }

    static DeadLetterInspection of(DeadLetterView view, String cause, ConsumerRecord<byte[], byte[]> record) {
        List<HeaderView> headers = StreamSupport.stream(record.headers().spliterator(), false)
                .map(DeadLetterInspection::header).toList();
        byte[] value = record.value();
        return new DeadLetterInspection(view, cause,
                view.correlationId() == null ? null : "/processes/" + view.correlationId(), text(record.key()),
                text(value), value == null ? null : Base64.getEncoder().encodeToString(value),
                value == null ? 0 : value.length, headers);
    }

    private static HeaderView header(Header header) {
        byte[] value = header.value();
        String text = value == null ? null
                : BINARY_NUMBERS.contains(header.key()) && value.length == Integer.BYTES
                        ? Integer.toString(ByteBuffer.wrap(value).getInt())
                        : BINARY_NUMBERS.contains(header.key()) && value.length == Long.BYTES
                                ? Long.toString(ByteBuffer.wrap(value).getLong()) : text(value);
        return new HeaderView(header.key(), text, value == null ? null : Base64.getEncoder().encodeToString(value));
    }

    private static String text(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            CharBuffer decoded = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return decoded.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
