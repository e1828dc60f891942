package dev.choreo.collector.action;

/** No process with that correlation id on this instance, or on any (HTTP 404). */
public class ProcessNotFoundException extends RuntimeException {

    public ProcessNotFoundException(String correlationId) {
        this(correlationId, "on this instance");
    }

    /** @param where e.g. "on any live collector instance" */
    public ProcessNotFoundException(String correlationId, String where) {
        super("no process with correlation id " + correlationId + " " + where);
    }
}
