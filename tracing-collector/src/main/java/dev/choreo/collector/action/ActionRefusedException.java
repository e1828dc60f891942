package dev.choreo.collector.action;

/** An operator action that does not apply to the process as it stands (HTTP 409). */
public class ActionRefusedException extends RuntimeException {

    public ActionRefusedException(String message) {
        super(message);
    }
}
