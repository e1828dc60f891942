package dev.choreo.collector.action;

/** Kafka did not take an operator action in time (HTTP 503): nothing was published, it may be retried. */
public class ActionFailedException extends RuntimeException {

    public ActionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
