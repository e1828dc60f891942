package dev.choreo.collector.process;

import java.time.Duration;
import java.util.List;

/**
 * What the process model needs from the collector's configuration.
 *
 * @param maxTimelineEntries     bound of one process's timeline
 * @param historySize            how many ended processes are kept
 * @param tick                   resolution of the deadline timers
 * @param autoCancelAfter        how long a process may stay stuck before the collector cancels it; null: never
 * @param maxOpenProcesses       open processes kept per instance (split evenly over the partition numbers it owns);
 *                               beyond, the least recently active one is evicted
 * @param maxOpenAge             a process open this long is evicted; null: never
 * @param maxDeadLetterProcesses open processes known only from dead letters, per instance (split like
 *                               {@code maxOpenProcesses}); beyond, a dead letter of an unknown process is only counted
 * @param searchFields           names of the business keys indexed (the ingest takes their values from the payloads)
 * @param maxProcessesPerKey     processes kept per key value in the search index, the most recently indexed
 */
public record Settings(int maxTimelineEntries, int historySize, Duration tick, Duration autoCancelAfter,
        int maxOpenProcesses, Duration maxOpenAge, int maxDeadLetterProcesses, List<String> searchFields,
        int maxProcessesPerKey) {

    /** Wheel slots: with a 100 ms tick one turn covers about 13.6 minutes; longer deadlines wait a turn. */
    static final int WHEEL_SLOTS = 8192;

    /** Without the memory limits: for model tests and the bench that do not exercise them. */
    public Settings(int maxTimelineEntries, int historySize, Duration tick, Duration autoCancelAfter) {
        this(maxTimelineEntries, historySize, tick, autoCancelAfter, Integer.MAX_VALUE, null, Integer.MAX_VALUE);
    }

    /** Without a search index. */
    public Settings(int maxTimelineEntries, int historySize, Duration tick, Duration autoCancelAfter,
            int maxOpenProcesses, Duration maxOpenAge, int maxDeadLetterProcesses) {
        this(maxTimelineEntries, historySize, tick, autoCancelAfter, maxOpenProcesses, maxOpenAge,
                maxDeadLetterProcesses, List.of(), 1);
    }
}
