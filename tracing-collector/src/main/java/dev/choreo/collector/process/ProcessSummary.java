package dev.choreo.collector.process;

import dev.choreo.collector.flow.Outcome;
import java.time.Instant;

/**
 * A line of a process list.
 *
 * @param waitingFor the service and events due first, or null
 * @param suspect    the service a STUCK or FAILED process points at, or null
 * @param failure    the dead-letter cause of a FAILED process, or null
 */
public record ProcessSummary(String correlationId, String orderId, Outcome outcome, String currentStep,
        String waitingFor, String suspect, String failure, Instant startedAt, Instant lastEventAt, Instant stuckSince,
        Instant endedAt) {
}
