package dev.choreo.collector.deadletter;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares the few distinct topic, group, reason and event-type strings among all indexed dead letters. Bounded: past
 * {@value #MAX} distinct values (a service writing ever new reasons) strings are kept as they come.
 */
final class Interner {

    private static final int MAX = 4096;
    private final ConcurrentHashMap<String, String> names = new ConcurrentHashMap<>();

    String intern(String name) {
        if (name == null) {
            return null;
        }
        String known = names.get(name);
        if (known != null) {
            return known;
        }
        return names.size() < MAX ? names.computeIfAbsent(name, n -> n) : name;
    }
}
