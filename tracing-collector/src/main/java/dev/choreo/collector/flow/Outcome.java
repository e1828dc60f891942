package dev.choreo.collector.flow;

/**
 * How a process stands. The first three are open (in flight); COMPLETED and COMPENSATED end it by its flow;
 * EVICTED means the collector let it go to stay within its memory limits (see {@code max-open-processes},
 * {@code max-open-age}).
 */
public enum Outcome {
    RUNNING, STUCK, FAILED, COMPLETED, COMPENSATED, EVICTED;

    /** No longer open: ended by its flow or evicted. */
    public boolean isEnd() {
        return this == COMPLETED || this == COMPENSATED || this == EVICTED;
    }

    /** Ended by an end event of its flow. */
    public boolean isFlowEnd() {
        return this == COMPLETED || this == COMPENSATED;
    }
}
