package dev.choreo.collector.process;

import dev.choreo.collector.flow.Flow;
import dev.choreo.collector.flow.Outcome;

/**
 * What the process model reports as it goes, for metrics. Called only for live records: a replay below the
 * offsets a previous run committed rebuilds state without reporting (and so without counting) anything twice.
 * Called under a shard lock: keep it cheap.
 */
public interface ProcessObserver {

    void started();

    void ended(Outcome outcome, long durationMillis);

    void stepCompleted(Flow.Step step, long durationMillis);

    /** An event followed the event it was caused by (its causation id). */
    void transition(int fromType, int toType, long latencyMillis);

    void deadLettered(DeadLetter deadLetter);

    void duplicate();

    /** An open process was let go to stay within the memory limits. */
    void evicted(Eviction reason);

    /** A dead letter of no known process, read while the processes known only from dead letters were at their cap. */
    void deadLetterUntracked(String deadLetterTopic, DeadLetter deadLetter);
}
