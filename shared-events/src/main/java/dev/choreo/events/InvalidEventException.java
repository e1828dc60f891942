package dev.choreo.events;

/** A record that is not a valid event of the catalogue. Retrying cannot fix it: it belongs on a dead-letter topic. */
public class InvalidEventException extends RuntimeException {

    /**
     * Why a record was refused; travels in the dead-letter record's headers. {@code TOO_LARGE}: the JSON text is
     * beyond the bounds of {@link Limits} (size, a string, a number, nesting) and was not read to its end.
     */
    public enum Reason {
        MALFORMED_JSON, TOO_LARGE, MISSING_ENVELOPE_FIELD, UNKNOWN_EVENT_TYPE, UNSUPPORTED_SCHEMA_VERSION,
        INVALID_PAYLOAD
    }

    private final Reason reason;

    public InvalidEventException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public InvalidEventException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
