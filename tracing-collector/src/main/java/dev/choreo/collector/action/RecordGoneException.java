package dev.choreo.collector.action;

/** The record to re-publish is no longer in the topic (retention or compaction removed it; HTTP 410). */
public class RecordGoneException extends RuntimeException {

    public RecordGoneException(String message) {
        super(message);
    }
}
