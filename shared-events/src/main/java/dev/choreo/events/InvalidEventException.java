package dev.choreo.events;

import java.util.Optional;

/** A record that is not a valid event of the catalogue. Retrying cannot fix it: it belongs on a dead-letter topic. */
public class InvalidEventException extends RuntimeException {

    /**
     * Why a record was refused; travels in the dead-letter record's headers. {@code TOO_LARGE}: the JSON text is
     * beyond the bounds of {@link Limits} (size, a string, a number, nesting) and was not read to its end.
     */
    public enum Reason {
        MALFORMED_JSON, TOO_LARGE, MISSING_ENVELOPE_FIELD, UNKNOWN_EVENT_TYPE, UNSUPPORTED_SCHEMA_VERSION,
        INVALID_PAYLOAD,
        /** The envelope names a producer other than the service that owns the event type (EventCatalog). */
        NOT_FROM_OWNER,
        /** The event came on a topic other than its type's. */
        WRONG_TOPIC
    }

    private final Reason reason;
    private final String eventType;

    public InvalidEventException(Reason reason, String message, Throwable cause) {
        this(reason, null, message, cause);
    }

    public InvalidEventException(Reason reason, String message) {
        this(reason, message, null);
    }

    /** A record whose {@code eventType} could be read: a consumer that does not react to that type ignores it. */
    public InvalidEventException(Reason reason, String eventType, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
        this.eventType = eventType;
    }

    public Reason reason() {
        return reason;
    }

    /** The record's event type, if it could be read (an unknown type, an unsupported version, a bad payload). */
    public Optional<String> eventType() {
        return Optional.ofNullable(eventType);
    }
}
