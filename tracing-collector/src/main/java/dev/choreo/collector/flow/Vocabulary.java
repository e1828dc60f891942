package dev.choreo.collector.flow;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Interns the names that repeat on every event (event types, services, topics) to small ints, so a timeline
 * entry packs them into one long. Bounded: a flood of made-up names folds into {@link #OTHER}.
 */
public final class Vocabulary {

    /** Index of the name every unknown or overflowing name maps to. */
    public static final int OTHER = 0;
    /** Fits the 16 bits a timeline entry gives each name. */
    public static final int CAPACITY = 8192;

    private final Map<String, Integer> indexes = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<String> names = new AtomicReferenceArray<>(CAPACITY);
    private int size;

    public Vocabulary() {
        names.set(OTHER, "(other)");
        indexes.put("(other)", OTHER);
        size = 1;
    }

    public int intern(String name) {
        if (name == null) {
            return OTHER;
        }
        Integer index = indexes.get(name);
        return index != null ? index : add(name);
    }

    /** The index of a name already interned, or -1. */
    public int find(String name) {
        Integer index = name == null ? null : indexes.get(name);
        return index == null ? -1 : index;
    }

    public String name(int index) {
        String name = index >= 0 && index < CAPACITY ? names.get(index) : null;
        return name == null ? names.get(OTHER) : name;
    }

    private synchronized int add(String name) {
        Integer index = indexes.get(name);
        if (index != null) {
            return index;
        }
        if (size == CAPACITY) {
            return OTHER;
        }
        int assigned = size++;
        names.set(assigned, name);
        indexes.put(name, assigned);
        return assigned;
    }
}
