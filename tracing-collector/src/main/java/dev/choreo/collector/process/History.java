package dev.choreo.collector.process;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The most recently ended processes, bounded: the oldest goes when a new one ends. Late events of an ended
 * process (a topic that lagged) still land on its timeline; those of a process that left the history are
 * dropped (its id is still remembered, compactly). Has its own lock; a shard may call it while holding
 * its own, never the other way round.
 */
final class History {

    /** Ids of ended processes remembered, per process kept in the history. */
    private static final int ENDED_IDS_PER_ENTRY = 10;

    private final Process[] ring;
    private final EndedIds endedIds;
    private final Map<String, Process> byId;
    private final SearchIndex search;
    private int next;
    private int size;

    History(int capacity, SearchIndex search) {
        this.search = search;
        this.ring = new Process[Math.max(1, capacity)];
        this.byId = new HashMap<>(Math.min(capacity, 1 << 16));
        this.endedIds = new EndedIds((int) Math.min(1 << 22, (long) capacity * ENDED_IDS_PER_ENTRY));
    }

    synchronized void add(Process process) {
        Process evicted = ring[next];
        if (evicted != null && byId.get(evicted.correlationId) == evicted) {
            byId.remove(evicted.correlationId);
        }
        if (evicted != null) {
            // out of memory: no longer found by its business keys either
            search.remove(evicted);
        }
        if (evicted == null) {
            size++;
        }
        ring[next] = process;
        next = (next + 1) % ring.length;
        byId.put(process.correlationId, process);
        endedIds.add(process.correlationId);
    }

    synchronized boolean applyLate(IngestedEvent event, BiConsumer<Process, IngestedEvent> append) {
        Process ended = byId.get(event.correlationId());
        if (ended != null) {
            append.accept(ended, event);
            return true;
        }
        // ended long ago and gone from the history: a straggler, not a new process
        return endedIds.contains(event.correlationId());
    }

    synchronized <T> T read(String correlationId, Function<Process, T> reader) {
        Process ended = byId.get(correlationId);
        return ended == null ? null : reader.apply(ended);
    }

    /** Up to {@code limit} matching processes, most recently ended first. */
    synchronized <T> List<T> recent(Predicate<Process> filter, int limit, Function<Process, T> reader) {
        List<T> found = new ArrayList<>();
        for (int i = 1; i <= size && found.size() < limit; i++) {
            Process process = ring[Math.floorMod(next - i, ring.length)];
            if (byId.get(process.correlationId) == process && filter.test(process)) {
                found.add(reader.apply(process));
            }
        }
        return found;
    }

    synchronized int size() {
        return byId.size();
    }
}
