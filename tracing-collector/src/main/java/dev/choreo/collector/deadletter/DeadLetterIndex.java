package dev.choreo.collector.deadletter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Every dead letter this instance has read, up to {@code max-indexed}: the oldest read leaves first. A list is one
 * pass over the index (100 000 entries: a few milliseconds), so no secondary indexes to keep consistent.
 */
final class DeadLetterIndex {

    private static final Comparator<DeadLetterEntry> NEWEST_FIRST = Comparator
            .comparingLong(DeadLetterEntry::timestamp).reversed().thenComparing(DeadLetterEntry::id);

    private final int max;
    private final LinkedHashMap<String, DeadLetterEntry> entries = new LinkedHashMap<>();
    private long dropped;

    DeadLetterIndex(int max) {
        this.max = max;
    }

    synchronized void add(DeadLetterEntry entry) {
        if (entries.putIfAbsent(entry.id(), entry) == null && entries.size() > max) {
            Iterator<DeadLetterEntry> oldest = entries.values().iterator();
            oldest.next();
            oldest.remove();
            dropped++;
        }
    }

    synchronized Optional<DeadLetterEntry> find(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    /** The matching entries, newest dead-lettered first. */
    List<DeadLetterEntry> matching(Predicate<DeadLetterEntry> filter) {
        List<DeadLetterEntry> found = new ArrayList<>();
        synchronized (this) {
            for (DeadLetterEntry entry : entries.values()) {
                if (filter.test(entry)) {
                    found.add(entry);
                }
            }
        }
        found.sort(NEWEST_FIRST);
        return found;
    }

    synchronized int size() {
        return entries.size();
    }

    /** How many left the index at its bound since this instance started. */
    synchronized long dropped() {
        return dropped;
    }
}
