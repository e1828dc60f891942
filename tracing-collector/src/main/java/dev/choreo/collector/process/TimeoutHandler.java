package dev.choreo.collector.process;

/** Starts compensation for a process stuck past the hard deadline (the optional automatic timeout). */
@FunctionalInterface
public interface TimeoutHandler {

    /** Called under a shard lock: hand the work off, do not publish here. */
    void timedOut(String correlationId, String orderId, int partition, String reason);
}
