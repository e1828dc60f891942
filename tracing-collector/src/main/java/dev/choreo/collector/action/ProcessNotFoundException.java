package dev.choreo.collector.action;

/** No process with that correlation id on this instance (HTTP 404). */
public class ProcessNotFoundException extends RuntimeException {

    public ProcessNotFoundException(String correlationId) {
        super("no process with correlation id " + correlationId + " on this instance");
    }
}
