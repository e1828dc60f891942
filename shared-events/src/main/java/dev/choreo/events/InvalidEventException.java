package dev.choreo.events;

/** A record that is not a valid event of the catalogue. Retrying cannot fix it: it belongs on a dead-letter topic. */
public class InvalidEventException extends RuntimeException {

    /** Why a record was refused; travels in the dead-letter record's headers. */
    public enum Reason {
        MALFORMED_JSON, MISSING_ENVELOPE_FIELD, UNKNOWN_EVENT_TYPE, UNSUPPORTED_SCHEMA_VERSION, INVALID_PAYLOAD
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
