package dev.choreo.collector.deadletter;

/** Where a dead letter stands for the workbench. */
public enum DeadLetterStatus {
    /** Not acted on yet. */
    NEW,
    /** Not acted on, and its record failed again after {@code max-redrives} re-drives: discard it, or force a re-drive. */
    PARKED,
    REDRIVEN,
    DISCARDED
}
