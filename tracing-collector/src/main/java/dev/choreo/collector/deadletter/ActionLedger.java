package dev.choreo.collector.deadletter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which dead letters were re-driven or discarded, from the audit records on {@code operations-events} (read back from
 * the start on every start, so a restart forgets none) and from the actions this instance just took. The first action
 * on a dead letter decides: it is never acted on twice. Bounded like the index (the oldest forgotten first: its dead
 * letter left the index before it).
 */
final class ActionLedger {

    /**
     * @param action      {@code redrive} or {@code discard}
     * @param redrivenTo  where a re-drive went ({@code topic-partition@offset}), else null
     */
    record Handled(String action, String requestedBy, long at, String redrivenTo) {
    }

    private final Map<String, Handled> handled;

    ActionLedger(int max) {
        this.handled = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Handled> eldest) {
                return size() > max;
            }
        };
    }

    synchronized void record(String deadLetterId, Handled action) {
        handled.putIfAbsent(deadLetterId, action);
    }

    synchronized Optional<Handled> find(String deadLetterId) {
        return Optional.ofNullable(handled.get(deadLetterId));
    }
}
