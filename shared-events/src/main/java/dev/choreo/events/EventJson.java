package dev.choreo.events;

import dev.choreo.events.InvalidEventException.Reason;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON mapping of the envelope, written once. Reading is tolerant where evolution needs it (unknown fields
 * are ignored, a new optional field never breaks an old consumer) and strict where correctness needs it (the
 * envelope must be complete, the type and schema version known, the payload valid).
 */
public final class EventJson {

    private static final JsonMapper MAPPER = configure(JsonMapper.builder()).build();

    /**
     * Reads events within the bounds of {@link Limits}, checked by the parser as it goes: a hostile record (a 10 MB
     * string, a number of a million digits, deep nesting) is refused before it is held in memory.
     */
    private static final JsonMapper EVENT_READER = configure(JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxDocumentLength(Limits.MAX_EVENT_BYTES)
                    .maxStringLength(Limits.MAX_JSON_STRING)
                    .maxNameLength(Limits.MAX_JSON_STRING)
                    .maxNumberLength(Limits.MAX_JSON_NUMBER)
                    .maxNestingDepth(Limits.MAX_JSON_DEPTH)
                    .build())
            .build())).build();

    private static JsonMapper.Builder configure(JsonMapper.Builder builder) {
        return builder
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // money keeps its scale: 99.80 stays 99.80 through the tree model
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    private EventJson() {
    }

    /**
     * The mapper the events are written with, for callers that embed events in other JSON. It does not apply the
     * bounds of {@link #read}: those are for events only.
     */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(EventEnvelope<?> envelope) {
        return MAPPER.writeValueAsBytes(envelope);
    }

    public static String writeString(EventEnvelope<?> envelope) {
        return MAPPER.writeValueAsString(envelope);
    }

    /**
     * Reads an event a service is about to act on, as read from {@code topic}: besides being valid, it must have been
     * published by the service that owns its type, on its type's topic. A consumer trusts only the owner to say what
     * happened in its domain (a refund from anyone else is not a refund).
     *
     * @throws InvalidEventException when the record is not a valid event of the catalogue, was not published by the
     *                               service that owns its type, or came on another topic
     */
    public static EventEnvelope<DomainEvent> read(byte[] json, String topic) {
        EventEnvelope<DomainEvent> envelope = read(json);
        EventType type = EventCatalog.typeOf(envelope.payload().getClass());
        if (!type.producer().equals(envelope.producer())) {
            throw new InvalidEventException(Reason.NOT_FROM_OWNER, envelope.eventType(), envelope.eventType()
                    + " is published by " + type.producer() + " only, not by "
                    + Texts.abbreviate(envelope.producer(), Limits.LABEL), null);
        }
        if (!type.topic().equals(topic)) {
            throw new InvalidEventException(Reason.WRONG_TOPIC, envelope.eventType(),
                    envelope.eventType() + " is published on " + type.topic() + ", not on " + topic, null);
        }
        return envelope;
    }

    /**
     * Reads an envelope and its payload, wherever it came from and whoever published it (tools, tests, the load
     * generator); a consumer reads with {@link #read(byte[], String)}.
     *
     * @throws InvalidEventException when the record is not a valid event of the catalogue
     */
    public static EventEnvelope<DomainEvent> read(byte[] json) {
        JsonNode root;
        try {
            root = EVENT_READER.readTree(json);
        } catch (StreamConstraintsException e) {
            throw new InvalidEventException(Reason.TOO_LARGE, e.getOriginalMessage(), e);
        } catch (JacksonException e) {
            throw new InvalidEventException(Reason.MALFORMED_JSON, e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidEventException(Reason.MALFORMED_JSON, "an event must be a JSON object");
        }
        String eventType = requiredText(root, "eventType");
        int schemaVersion = requiredInt(root, "schemaVersion");
        EventType type = EventCatalog.find(eventType, schemaVersion).orElseThrow(() -> EventCatalog.isKnownName(eventType)
                ? new InvalidEventException(Reason.UNSUPPORTED_SCHEMA_VERSION, eventType,
                        eventType + " has no schema version " + schemaVersion, null)
                : new InvalidEventException(Reason.UNKNOWN_EVENT_TYPE, eventType,
                        "'" + eventType + "' is not in the catalogue", null));
        JsonNode payloadNode = root.get("payload");
        if (payloadNode == null || !payloadNode.isObject()) {
            throw new InvalidEventException(Reason.MISSING_ENVELOPE_FIELD, "payload is missing or not an object");
        }
        DomainEvent payload;
        try {
            payload = EVENT_READER.treeToValue(payloadNode, type.javaType());
        } catch (JacksonException e) {
            throw new InvalidEventException(Reason.INVALID_PAYLOAD, eventType, eventType + ": " + rootCauseMessage(e),
                    e);
        }
        try {
            return new EventEnvelope<>(
                    UUID.fromString(requiredText(root, "eventId")),
                    eventType,
                    schemaVersion,
                    requiredText(root, "correlationId"),
                    optionalUuid(root, "causationId"),
                    Instant.parse(requiredText(root, "occurredAt")),
                    requiredText(root, "producer"),
                    payload);
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new InvalidEventException(Reason.MISSING_ENVELOPE_FIELD, e.getMessage(), e);
        }
    }

    private static String requiredText(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isString() || node.asString().isBlank()) {
            throw new InvalidEventException(Reason.MISSING_ENVELOPE_FIELD, field + " is missing or not a string");
        }
        return node.asString();
    }

    private static int requiredInt(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isInt()) {
            throw new InvalidEventException(Reason.MISSING_ENVELOPE_FIELD, field + " is missing or not an integer");
        }
        return node.intValue();
    }

    private static UUID optionalUuid(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? null : UUID.fromString(node.asString());
    }

    private static String rootCauseMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
