package dev.choreo.messaging.kafka;

import dev.choreo.events.Limits;
import dev.choreo.events.Texts;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * What a dead letter keeps of its original record, so that it can always be sent. A hostile record can be as large
 * as the broker accepts on its topic; copied whole and grown by the dead-letter headers it would exceed the producer's
 * request size, fail for good and be retried forever (holding back the outbox, or the catalogue replica). No valid
 * event is larger than {@link Limits#MAX_EVENT_BYTES}, keyed longer than {@link Limits#ID} or has a header longer than
 * {@link Limits#MAX_JSON_STRING}, so beyond those a dead letter keeps the value's first bytes (and says how many there
 * were in {@value #VALUE_BYTES_HEADER}), a cut key and none of the oversized headers.
 */
public final class DeadLetterBounds {

    public static final String VALUE_BYTES_HEADER = "dlt-original-value-bytes";

    private DeadLetterBounds() {
    }

    /** The value, or its first {@link Limits#MAX_EVENT_BYTES} bytes with {@value #VALUE_BYTES_HEADER} added. */
    public static byte[] value(byte[] value, Headers headers) {
        if (value == null || value.length <= Limits.MAX_EVENT_BYTES) {
            return value;
        }
        headers.add(VALUE_BYTES_HEADER, Integer.toString(value.length).getBytes(StandardCharsets.UTF_8));
        return Arrays.copyOf(value, Limits.MAX_EVENT_BYTES);
    }

    /** The key, cut to {@link Limits#ID}: the dead letter keeps the original partition, not the key's. */
    public static String key(String key) {
        return Texts.abbreviate(key, Limits.ID);
    }

    /** An original header no valid event carries (a hostile record's padding), left out of its dead letter. */
    public static boolean isOversized(Header header) {
        return header.value() != null && header.value().length > Limits.MAX_JSON_STRING;
    }
}
