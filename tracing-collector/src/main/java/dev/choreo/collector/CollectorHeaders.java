package dev.choreo.collector;

/** Record headers the collector reads beyond the envelope headers of {@link dev.choreo.events.EventHeaders}. */
public final class CollectorHeaders {

    /** W3C trace context, added by the OpenTelemetry agent. */
    public static final String TRACEPARENT = "traceparent";
    /** Added by the collector to a re-published record: who asked for it. */
    public static final String REDRIVEN_BY = "choreo-redriven-by";
    /** Added by the collector to a re-published record: when (epoch millis). */
    public static final String REDRIVEN_AT = "choreo-redriven-at";

    /**
     * Marks the dead-letter workbench's audit records on {@code operations-events}: no event, so the process model
     * neither reads nor counts them as unreadable (the services skip them by their {@code eventType}).
     */
    public static final String DEAD_LETTER_ACTION = "choreo-dead-letter-action";

    // written by Spring Kafka's DeadLetterPublishingRecoverer
    public static final String DLT_ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    public static final String DLT_ORIGINAL_PARTITION = "kafka_dlt-original-partition";
    public static final String DLT_ORIGINAL_OFFSET = "kafka_dlt-original-offset";
    public static final String DLT_ORIGINAL_GROUP = "kafka_dlt-original-consumer-group";
    public static final String DLT_EXCEPTION_CLASS = "kafka_dlt-exception-fqcn";
    public static final String DLT_EXCEPTION_MESSAGE = "kafka_dlt-exception-message";
    /** Written by the services: an InvalidEventException reason name or the exception class. */
    public static final String DLT_REASON = "dlt-reason";

    private CollectorHeaders() {
    }
}
