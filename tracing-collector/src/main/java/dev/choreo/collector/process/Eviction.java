package dev.choreo.collector.process;

/** Why the collector let an open process go (outcome EVICTED): the limit that it reached, by its setting name. */
public enum Eviction {
    /** Its partition number's share of {@code choreo.collector.max-open-processes} was full: the least recently active went. */
    MAX_OPEN_PROCESSES("max-open-processes"),
    /** Open for longer than {@code choreo.collector.max-open-age}. */
    MAX_OPEN_AGE("max-open-age");

    private final String label;

    Eviction(String label) {
        this.label = label;
    }

    /** The metric label and the reason shown on the process: the name of the setting that was reached. */
    public String label() {
        return label;
    }
}
