package dev.choreo.collector.process;

import java.time.Duration;

/**
 * What the process model needs from the collector's configuration.
 *
 * @param maxTimelineEntries bound of one process's timeline
 * @param historySize        how many ended processes are kept
 * @param tick               resolution of the deadline timers
 * @param autoCancelAfter    how long a process may stay stuck before the collector cancels it; null: never
 */
public record Settings(int maxTimelineEntries, int historySize, Duration tick, Duration autoCancelAfter) {

    /** Wheel slots: with a 100 ms tick one turn covers about 13.6 minutes; longer deadlines wait a turn. */
    static final int WHEEL_SLOTS = 8192;
}
