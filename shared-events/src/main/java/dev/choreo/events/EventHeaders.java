package dev.choreo.events;

/**
 * Kafka record headers that repeat envelope fields, so brokers' tools, filters and the tracing collector can
 * route and correlate without parsing the payload. Values are UTF-8 strings.
 */
public final class EventHeaders {

    public static final String EVENT_ID = "eventId";
    public static final String EVENT_TYPE = "eventType";
    public static final String SCHEMA_VERSION = "schemaVersion";
    public static final String CORRELATION_ID = "correlationId";
    public static final String PRODUCER = "producer";

    private EventHeaders() {
    }
}
