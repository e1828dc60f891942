package dev.choreo.collector.deadletter;

/**
 * Provenance the workbench adds to a re-driven record, next to the collector's {@code choreo-redriven-by}/{@code -at}.
 * The services' dead-lettering copies a record's headers, so these come back on the next dead letter if the record
 * fails again: that is how the workbench knows how often a record was re-driven (and parks it).
 */
public final class RedriveHeaders {

    /** How many times the record has been re-driven from a dead-letter topic, this time included. */
    public static final String COUNT = "choreo-redrive-count";
    /** The dead letter it was re-driven from: {@code <topic>:<partition>:<offset>}. */
    public static final String DEAD_LETTER = "choreo-redrive-dead-letter";
    /** Where the record was originally consumed from when it failed. */
    public static final String ORIGINAL_TOPIC = "choreo-redrive-original-topic";
    public static final String ORIGINAL_PARTITION = "choreo-redrive-original-partition";
    public static final String ORIGINAL_OFFSET = "choreo-redrive-original-offset";

    private RedriveHeaders() {
    }
}
