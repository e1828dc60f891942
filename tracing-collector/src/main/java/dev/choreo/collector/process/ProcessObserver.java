package dev.choreo.collector.process;

import dev.choreo.collector.flow.Flow;
import dev.choreo.collector.flow.Outcome;

/**
 * What the process model reports as it goes, for metrics. Called only for live records: a replay below the
 * offsets a previous run committed rebuilds state without reporting (and so without counting) anything twice.
 * Called under a shard lock: keep it cheap. Every method does nothing unless implemented, so a model without metrics
 * (tests, the ingest bench) uses {@link #NONE} and a test overrides only what it looks at.
 */
public interface ProcessObserver {

    /** Reports nothing. */
    ProcessObserver NONE = new ProcessObserver() {
    };

    default void started() {
    }

    default void ended(Outcome outcome, long durationMillis) {
    }

    default void stepCompleted(Flow.Step step, long durationMillis) {
    }

    /** An event followed the event it was caused by (its causation id). */
    default void transition(int fromType, int toType, long latencyMillis) {
    }

    default void deadLettered(DeadLetter deadLetter) {
    }

    default void duplicate() {
    }

    /** An open process was let go to stay within the memory limits. */
    default void evicted(Eviction reason) {
    }

    /** A dead letter of no known process, read while the processes known only from dead letters were at their cap. */
    default void deadLetterUntracked(String deadLetterTopic, DeadLetter deadLetter) {
    }
}
