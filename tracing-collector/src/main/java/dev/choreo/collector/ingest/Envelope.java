package dev.choreo.collector.ingest;

import dev.choreo.collector.CollectorHeaders;
import dev.choreo.collector.ingest.EnvelopeProperties.Attribute;
import dev.choreo.collector.ingest.EnvelopeProperties.Preset;
import dev.choreo.events.EventHeaders;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link EnvelopeProperties} resolved once at start: header name to attribute, and the JSON fields as a tree the
 * decoder walks along with its streaming parser. Nothing is looked up per record beyond one hash lookup per header
 * and per JSON name.
 */
final class Envelope {

    static final int TYPE = 0;
    static final int ID = 1;
    static final int CORRELATION = 2;
    static final int CAUSATION = 3;
    static final int TIME = 4;
    static final int PRODUCER = 5;
    /** Headers the collector reads whatever the envelope: not configurable attributes. */
    static final int TRACEPARENT = 6;
    static final int REDRIVEN_AT = 7;
    static final int CONTENT_TYPE = 8;

    static final String CONTENT_TYPE_HEADER = "content-type";

    private final Map<String, Integer> headers;
    private final Node fields;
    private final boolean payloadIsValue;
    private final String structuredContentType;
    private final boolean timeRequired;
    /** Bits (1 << attribute) that, once known, make the rest of the JSON after the payload not worth reading. */
    private final int knownAfterPayload;

    private Envelope(Attribute[] attributes, String payload, String structuredContentType, boolean cloudEvents,
            boolean attributesBeforePayload) {
        this.headers = new HashMap<>();
        this.fields = new Node();
        int json = 0;
        int given = 0;
        for (int attribute = TYPE; attribute <= PRODUCER; attribute++) {
            Attribute mapping = attributes[attribute];
            if (present(mapping.header())) {
                headers.put(mapping.header(), attribute);
                given |= 1 << attribute;
            }
            if (present(mapping.field())) {
                fields.at(mapping.field()).attribute = attribute;
                json |= 1 << attribute;
                given |= 1 << attribute;
            }
        }
        if ((given & (1 << TYPE)) == 0 || (given & (1 << ID)) == 0) {
            throw new IllegalArgumentException("the envelope needs a header or a field for the event type and id");
        }
        headers.putIfAbsent(CollectorHeaders.TRACEPARENT, TRACEPARENT);
        if (cloudEvents) {
            // the Distributed Tracing extension: a ce_ header in binary mode, a top-level field in structured mode
            headers.putIfAbsent("ce_" + CollectorHeaders.TRACEPARENT, TRACEPARENT);
            Node traceparent = fields.at(CollectorHeaders.TRACEPARENT);
            if (traceparent.attribute < 0) {
                traceparent.attribute = TRACEPARENT;
            }
        }
        headers.putIfAbsent(CollectorHeaders.REDRIVEN_AT, REDRIVEN_AT);
        this.payloadIsValue = !present(payload);
        if (!payloadIsValue) {
            fields.at(payload).payload = true;
        }
        this.structuredContentType = present(structuredContentType) ? structuredContentType : null;
        if (this.structuredContentType != null) {
            headers.putIfAbsent(CONTENT_TYPE_HEADER, CONTENT_TYPE);
        }
        // CloudEvents' time is optional (the record timestamp stands in); the suite's envelope always has one
        this.timeRequired = !cloudEvents;
        // the suite's envelope writes every attribute before the payload; elsewhere any order is legal JSON
        this.knownAfterPayload = attributesBeforePayload ? 1 << TIME : json;
    }

    /** The suite's own envelope (dev.choreo.events.EventEnvelope and its headers). */
    static Envelope choreo() {
        return of(choreoProperties());
    }

    static Envelope of(EnvelopeProperties properties) {
        Attribute[] attributes = preset(properties.preset());
        boolean suiteEnvelope = properties.equals(choreoProperties());
        override(attributes, TYPE, properties.type());
        override(attributes, ID, properties.id());
        override(attributes, CORRELATION, properties.correlationId());
        override(attributes, CAUSATION, properties.causationId());
        override(attributes, TIME, properties.time());
        override(attributes, PRODUCER, properties.producer());
        boolean cloudEvents = properties.preset() == Preset.CLOUDEVENTS;
        String payload = properties.payload() != null ? properties.payload() : cloudEvents ? "data" : "payload";
        String structured = properties.structuredContentType() != null ? properties.structuredContentType()
                : cloudEvents ? "application/cloudevents" : null;
        return new Envelope(attributes, payload, structured, cloudEvents, suiteEnvelope);
    }

    private static EnvelopeProperties choreoProperties() {
        return new EnvelopeProperties(Preset.CHOREO, null, null, null, null, null, null, null, null);
    }

    private static Attribute[] preset(Preset preset) {
        List<Attribute> mapping = switch (preset) {
            case CHOREO -> List.of(new Attribute(EventHeaders.EVENT_TYPE, "eventType"),
                    new Attribute(EventHeaders.EVENT_ID, "eventId"),
                    new Attribute(EventHeaders.CORRELATION_ID, "correlationId"), new Attribute(null, "causationId"),
                    new Attribute(null, "occurredAt"), new Attribute(EventHeaders.PRODUCER, "producer"));
            // binary content mode: attributes in ce_ headers; structured: top-level fields (Kafka protocol binding)
            case CLOUDEVENTS -> List.of(new Attribute("ce_type", "type"), new Attribute("ce_id", "id"),
                    new Attribute("ce_correlationid", "correlationid"), new Attribute("ce_causationid", "causationid"),
                    new Attribute("ce_time", "time"), new Attribute("ce_source", "source"));
        };
        return mapping.toArray(Attribute[]::new);
    }

    private static void override(Attribute[] attributes, int attribute, Attribute configured) {
        if (configured != null) {
            attributes[attribute] = configured;
        }
    }

    private static boolean present(String text) {
        return text != null && !text.isBlank();
    }

    /** The attribute or internal slot a header gives, or -1. */
    int header(String name) {
        Integer slot = headers.get(name);
        return slot == null ? -1 : slot;
    }

    /**
     * Whether the value of a record with this content-type header (null if none) is a JSON envelope; if not, the
     * value is the payload itself and the attributes are headers.
     */
    boolean valueIsEnvelope(String contentType) {
        return !payloadIsValue && (structuredContentType == null
                || contentType != null && contentType.regionMatches(true, 0, structuredContentType, 0,
                        structuredContentType.length()));
    }

    /** The envelope fields: the root of the JSON value. */
    Node fields() {
        return fields;
    }

    boolean timeRequired() {
        return timeRequired;
    }

    int knownAfterPayload() {
        return knownAfterPayload;
    }

    /** One JSON object level: which names are attributes, which lead deeper, which is the payload. */
    static final class Node {

        private final Map<String, Node> children = new HashMap<>();
        int attribute = -1;
        boolean payload;

        Node child(String name) {
            return children.get(name);
        }

        boolean isLeaf() {
            return children.isEmpty();
        }

        private Node at(String path) {
            Node node = this;
            for (String name : path.split("\\.")) {
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("not a field path: '" + path + "'");
                }
                node = node.children.computeIfAbsent(name, n -> new Node());
            }
            return node;
        }
    }
}
