package dev.choreo.collector.flow;

/** How a process stands. The first three are open (in flight); the last two end it. */
public enum Outcome {
    RUNNING, STUCK, FAILED, COMPLETED, COMPENSATED;

    public boolean isEnd() {
        return this == COMPLETED || this == COMPENSATED;
    }
}
