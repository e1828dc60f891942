package dev.choreo.collector.ingest;

import dev.choreo.collector.CollectorHeaders;
import dev.choreo.collector.flow.Flow;
import dev.choreo.collector.flow.Vocabulary;
import dev.choreo.collector.process.DeadLetter;
import dev.choreo.collector.process.IngestedEvent;
import dev.choreo.events.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Turns a consumed record into what the process model keeps, reading only what it needs: the envelope headers,
 * and from the JSON the envelope fields with a streaming parser that stops at the payload unless the flow's
 * ending needs one payload field. Far cheaper than mapping the payload, which the collector never uses. Where the
 * envelope attributes are (headers, JSON fields) is the {@link Envelope}: the suite's own, CloudEvents, or configured.
 */
public final class RecordDecoder {

    private static final String UNREADABLE = "(unreadable)";
    /** The bare streaming factory: no data-binding context is needed to read a few envelope fields. */
    private static final JsonFactory JSON = new JsonFactory();

    private final Flow flow;
    private final Envelope envelope;
    private final Vocabulary vocabulary;
    private final int unreadableType;
    private final PayloadPaths searchFields;

    public RecordDecoder(Flow flow) {
        this(flow, Map.of());
    }

    /** @param searchFields the business keys to take from the payloads: field name to its JSON path */
    public RecordDecoder(Flow flow, Map<String, String> searchFields) {
        this(flow, searchFields, Envelope.choreo());
    }

    /** @param envelope where the envelope attributes are */
    public RecordDecoder(Flow flow, Map<String, String> searchFields, EnvelopeProperties envelope) {
        this(flow, searchFields, Envelope.of(envelope));
    }

    private RecordDecoder(Flow flow, Map<String, String> searchFields, Envelope envelope) {
        this.flow = flow;
        this.envelope = envelope;
        this.vocabulary = flow.vocabulary();
        this.unreadableType = vocabulary.intern(UNREADABLE);
        this.searchFields = new PayloadPaths(searchFields);
    }

    /**
     * @return the decoded event, or null when the record is no readable event and not a dead letter (its
     *         consumers will dead-letter it, and the dead letter shows on the process)
     */
    public IngestedEvent decode(ConsumerRecord<byte[], byte[]> record, boolean live) {
        return decode(record, live, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * @param notBefore the record was appended after this (the collector's clock; Long.MIN_VALUE if unknown)
     * @param notAfter  the record was appended by this (Long.MAX_VALUE if unknown)
     * @see AppendClock
     */
    public IngestedEvent decode(ConsumerRecord<byte[], byte[]> record, boolean live, long notBefore, long notAfter) {
        boolean deadLetter = Topics.isDeadLetter(record.topic());
        Fields fields = new Fields();
        DeadLetterFields dlt = deadLetter ? new DeadLetterFields() : null;
        for (Header header : record.headers()) {
            readHeader(header, fields, dlt);
        }
        boolean valueIsEnvelope = envelope.valueIsEnvelope(fields.contentType);
        boolean parsed = valueIsEnvelope ? record.value() != null && parse(record.value(), fields)
                : readPayloadOnly(record.value(), fields);
        if (!deadLetter && (!parsed || fields.eventId == null || fields.eventType == null
                || fields.occurredAt == null && envelope.timeRequired())) {
            return null;
        }
        long[] eventId = id128(fields.eventId);
        long[] causation = id128(fields.causationId);
        long[] trace = traceId(fields.traceparent);
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        int kind = deadLetter ? IngestedEvent.DEAD_LETTER
                : fields.redrivenAt != null ? IngestedEvent.REDRIVE : IngestedEvent.EVENT;
        long occurredAt = switch (kind) {
            case IngestedEvent.DEAD_LETTER -> record.timestamp();
            case IngestedEvent.REDRIVE -> parseLong(fields.redrivenAt, record.timestamp());
            default -> fields.occurredAt == null ? record.timestamp() : epochMillis(fields.occurredAt, record.timestamp());
        };
        long appendedAt = AppendClock.appendedAt(record.timestamp(), occurredAt, notBefore, notAfter);
        if (appendedAt == Long.MAX_VALUE) {
            appendedAt = occurredAt;
        }
        return new IngestedEvent(kind, fields.correlationId, key,
                fields.eventType == null ? unreadableType : vocabulary.intern(fields.eventType),
                vocabulary.intern(fields.producer), vocabulary.intern(record.topic()), record.partition(),
                record.offset(), appendedAt, occurredAt, eventId[0], eventId[1], causation[0], causation[1],
                trace[0], trace[1], fields.discriminator, live, dlt == null ? null : dlt.toDeadLetter(),
                fields.searchKeys);
    }

    /**
     * The event type and correlation id of a record as the envelope gives them (null where it does not), without
     * decoding it as an event: what the dead-letter index keeps of a dead letter.
     */
    public Identity identify(ConsumerRecord<byte[], byte[]> record) {
        Fields fields = new Fields();
        for (Header header : record.headers()) {
            readHeader(header, fields, null);
        }
        if (envelope.valueIsEnvelope(fields.contentType) && record.value() != null
                && (fields.eventType == null || fields.correlationId == null)) {
            parse(record.value(), fields);
        }
        return new Identity(fields.eventType, fields.correlationId);
    }

    /** @see #identify */
    public record Identity(String eventType, String correlationId) {
    }

    private void readHeader(Header header, Fields fields, DeadLetterFields dlt) {
        byte[] value = header.value();
        if (value == null) {
            return;
        }
        int slot = envelope.header(header.key());
        if (slot >= 0) {
            fields.set(slot, utf8(value));
        } else if (dlt != null) {
            dlt.read(header.key(), value);
        }
    }

    /** Reads the envelope fields the headers did not give; false if the value is not a JSON object. */
    private boolean parse(byte[] json, Fields fields) {
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            readObject(parser, envelope.fields(), fields);
            return true;
        } catch (JacksonException e) {
            return false;
        }
    }

    /** Walks one object of the envelope; true once everything it can give is known and the rest need not be read. */
    private boolean readObject(JsonParser parser, Envelope.Node node, Fields fields) {
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
            JsonToken token = parser.nextToken();
            Envelope.Node child = node.child(name);
            if (child == null) {
                parser.skipChildren();
            } else if (child.payload) {
                if (!readPayload(parser, token, fields)) {
                    if (fields.knows(envelope.knownAfterPayload())) {
                        return true;
                    }
                    parser.skipChildren();
                }
            } else if (child.attribute >= 0 && (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT)) {
                fields.setIfAbsent(child.attribute, parser.getString());
            } else if (token == JsonToken.START_OBJECT && !child.isLeaf()) {
                if (readObject(parser, child, fields)) {
                    return true;
                }
            } else {
                parser.skipChildren();
            }
        }
        return false;
    }

    /** The value is the payload (the envelope is in the headers): read only if search keys or an ending need it. */
    private boolean readPayloadOnly(byte[] value, Fields fields) {
        if (value == null || searchFields.isEmpty()
                && (fields.eventType == null || flow.discriminatorOf(fields.eventType) == null)) {
            return true;
        }
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), value)) {
            JsonToken start = parser.nextToken();
            if (start != null) {
                readPayload(parser, start, fields);
            }
        } catch (JacksonException e) {
            // not JSON: an event all the same, without search keys or discriminator
        }
        return true;
    }

    /** Reads what is needed from the payload (the parser at its first token); false if nothing is, and it is unread. */
    private boolean readPayload(JsonParser parser, JsonToken start, Fields fields) {
        String field = fields.eventType == null ? null : flow.discriminatorOf(fields.eventType);
        if (!searchFields.isEmpty()) {
            readSearchKeys(parser, start, field, fields);
            return true;
        }
        if (field == null) {
            return false;
        }
        fields.discriminator = readField(parser, start, field);
        return true;
    }

    /** The search fields' values and the discriminator, in one pass over the payload. */
    private void readSearchKeys(JsonParser parser, JsonToken start, String discriminator, Fields fields) {
        List<String> found = new ArrayList<>();
        searchFields.read(parser, start, discriminator, found);
        List<String> keys = new ArrayList<>(found.size());
        for (int i = 0; i < found.size(); i += 2) {
            if (found.get(i).equals(PayloadPaths.DISCRIMINATOR)) {
                fields.discriminator = found.get(i + 1);
            } else {
                keys.add(found.get(i));
                keys.add(found.get(i + 1));
            }
        }
        fields.searchKeys = keys.isEmpty() ? null : keys.toArray(String[]::new);
    }

    private static String readField(JsonParser parser, JsonToken start, String field) {
        if (start != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        String found = null;
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
            JsonToken token = parser.nextToken();
            if (field.equals(name) && token == JsonToken.VALUE_STRING) {
                found = parser.getString();
            } else {
                parser.skipChildren();
            }
        }
        return found;
    }

    private static String utf8(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    private static long parseLong(String value, long fallback) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /**
     * An event id as 128 bits: a UUID as itself; any other string (CloudEvents ids are arbitrary) hashed, so equal
     * ids stay equal and distinct ones collide with a chance of about n²/2¹²⁹. Zero means "none".
     */
    static long[] id128(String value) {
        if (value == null || value.isEmpty()) {
            return new long[2];
        }
        if (value.length() == 36 && value.charAt(8) == '-' && value.charAt(13) == '-') {
            try {
                UUID uuid = UUID.fromString(value);
                return new long[] {uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()};
            } catch (IllegalArgumentException e) {
                // not a UUID after all: hashed below
            }
        }
        long high = 0xcbf29ce484222325L;
        long low = 0x84222325cbf29ce4L;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            high = (high ^ c) * 0x100000001b3L;
            low = (low ^ c) * 0x9e3779b97f4a7c15L + i;
        }
        high = mix(high ^ value.length());
        low = mix(low ^ high);
        return new long[] {high, low == 0 && high == 0 ? 1 : low};
    }

    /** SplitMix64's finalizer: spreads every input bit over the whole word. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The trace id of a W3C traceparent ({@code 00-<32 hex trace id>-<16 hex span id>-<flags>}). */
    static long[] traceId(String traceparent) {
        if (traceparent == null || traceparent.length() < 55 || traceparent.charAt(2) != '-') {
            return new long[2];
        }
        try {
            return new long[] {Long.parseUnsignedLong(traceparent, 3, 19, 16),
                    Long.parseUnsignedLong(traceparent, 19, 35, 16)};
        } catch (NumberFormatException e) {
            return new long[2];
        }
    }

    /** Epoch millis of an ISO-8601 UTC instant; a fast path for the envelope's own format. */
    static long epochMillis(String iso, long fallback) {
        int length = iso.length();
        if (length >= 20 && iso.charAt(4) == '-' && iso.charAt(7) == '-' && iso.charAt(10) == 'T'
                && iso.charAt(13) == ':' && iso.charAt(16) == ':' && iso.charAt(length - 1) == 'Z') {
            int year = digits(iso, 0, 4);
            int month = digits(iso, 5, 2);
            int day = digits(iso, 8, 2);
            int hour = digits(iso, 11, 2);
            int minute = digits(iso, 14, 2);
            int second = digits(iso, 17, 2);
            int millis = 0;
            if (length > 20 && iso.charAt(19) == '.') {
                int end = Math.min(length - 1, 23);
                millis = digits(iso, 20, end - 20);
                for (int i = end - 20; i < 3 && millis >= 0; i++) {
                    millis *= 10;
                }
            } else if (length != 20) {
                millis = -1;
            }
            if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour < 24
                    && minute >= 0 && minute < 60 && second >= 0 && second < 60 && millis >= 0) {
                long days = LocalDate.of(year, month, day).toEpochDay();
                return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
            }
        }
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (DateTimeParseException e) {
            // an envelope may give epoch millis
            return parseLong(iso, fallback);
        }
    }

    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static final class Fields {
        String eventId;
        String eventType;
        String correlationId;
        String causationId;
        String occurredAt;
        String producer;
        String traceparent;
        String redrivenAt;
        String contentType;
        String discriminator;
        String[] searchKeys;
        /** Bits (1 << slot) of what is set. */
        int known;

        void set(int slot, String value) {
            switch (slot) {
                case Envelope.TYPE -> eventType = value;
                case Envelope.ID -> eventId = value;
                case Envelope.CORRELATION -> correlationId = value;
                case Envelope.CAUSATION -> causationId = value;
                case Envelope.TIME -> occurredAt = value;
                case Envelope.PRODUCER -> producer = value;
                case Envelope.TRACEPARENT -> traceparent = value;
                case Envelope.REDRIVEN_AT -> redrivenAt = value;
                case Envelope.CONTENT_TYPE -> contentType = value;
                default -> throw new IllegalArgumentException("slot " + slot);
            }
            known |= 1 << slot;
        }

        /** From the JSON: a header, read first, wins. */
        void setIfAbsent(int slot, String value) {
            if ((known & (1 << slot)) == 0) {
                set(slot, value);
            }
        }

        boolean knows(int slots) {
            return (known & slots) == slots;
        }
    }

    private static final class DeadLetterFields {
        String topic;
        int partition = -1;
        long offset = -1;
        String group;
        String exceptionClass;
        String message;
        String reason;

        void read(String key, byte[] value) {
            switch (key) {
                case CollectorHeaders.DLT_ORIGINAL_TOPIC -> topic = utf8(value);
                case CollectorHeaders.DLT_ORIGINAL_PARTITION -> partition = value.length == 4
                        ? ByteBuffer.wrap(value).getInt() : (int) parseLong(utf8(value), -1);
                case CollectorHeaders.DLT_ORIGINAL_OFFSET -> offset = value.length == 8
                        ? ByteBuffer.wrap(value).getLong() : parseLong(utf8(value), -1);
                case CollectorHeaders.DLT_ORIGINAL_GROUP -> group = utf8(value);
                case CollectorHeaders.DLT_EXCEPTION_CLASS -> exceptionClass = utf8(value);
                case CollectorHeaders.DLT_EXCEPTION_MESSAGE -> message = abbreviate(utf8(value));
                case CollectorHeaders.DLT_REASON -> reason = utf8(value);
                default -> {
                }
            }
        }

        DeadLetter toDeadLetter() {
            return new DeadLetter(group, reason, exceptionClass, message, topic, partition, offset);
        }

        /** Exception messages can be long stack-ish texts; a process keeps a bounded cause. */
        private static String abbreviate(String message) {
            return message.length() <= 300 ? message : message.substring(0, 297) + "...";
        }
    }
}
