package dev.choreo.collector.process;

import dev.choreo.collector.flow.Outcome;
import java.time.Instant;
import java.util.Map;

/**
 * Filters of a process list; every one given must hold. Null (or empty) means no filter.
 *
 * @param status        the outcome
 * @param correlationId the process's correlation id
 * @param orderId       its order id (the record key)
 * @param keys          business keys (a configured search field to a value), all of which it must have
 * @param step          the step it waits on first (its {@code currentStep})
 * @param startedFrom   its first event occurred at or after this
 * @param startedTo     its first event occurred before this
 * @param activeFrom    its latest event occurred at or after this
 * @param activeTo      its latest event occurred before this
 */
public record ProcessQuery(Outcome status, String correlationId, String orderId, Map<String, String> keys,
        String step, Instant startedFrom, Instant startedTo, Instant activeFrom, Instant activeTo) {

    public ProcessQuery {
        keys = keys == null ? Map.of() : Map.copyOf(keys);
    }

    public static ProcessQuery byStatus(Outcome status) {
        return new ProcessQuery(status, null, null, Map.of(), null, null, null, null, null);
    }
}
