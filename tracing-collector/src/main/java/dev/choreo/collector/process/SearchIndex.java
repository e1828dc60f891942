package dev.choreo.collector.process;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The processes in memory (open and in the history) by the business keys taken from their events' payloads (the
 * configured search fields: customer id, sku, ...). A process's keys are on the process itself ({@link
 * Process#searchKeys}, the value strings shared with the index), and it leaves the index when it leaves memory (out
 * of the history, or its partition given away). Per value at most {@code maxPerValue} processes, the most recently
 * indexed; a value held by one process (the common case for a customer id) costs a map entry and no list.
 *
 * <p>Has its own lock, taken last: a shard or the history may call it while holding theirs, never the other way.
 */
final class SearchIndex {

    /** Bound of the key values of one process (an order of many lines keeps its first skus). */
    static final int MAX_KEYS_PER_PROCESS = 32;

    private final List<String> fields;
    private final int maxPerValue;
    /** Per field: value to a {@link Process}, or to a {@link Postings} once a second process has it. */
    private final List<Map<String, Object>> byField = new ArrayList<>();
    /** Index entries held (a process and one of its values each). */
    private int entries;

    SearchIndex(List<String> fields, int maxPerValue) {
        this.fields = List.copyOf(fields);
        this.maxPerValue = Math.max(1, maxPerValue);
        fields.forEach(field -> byField.add(new HashMap<>()));
    }

    List<String> fields() {
        return fields;
    }

    boolean isEmpty() {
        return fields.isEmpty();
    }

    /** Indexes the keys an event carried ({@code field, value} pairs) that the process does not have yet. */
    synchronized void add(Process process, String[] keys) {
        for (int i = 0; i + 1 < keys.length; i += 2) {
            int field = fields.indexOf(keys[i]);
            if (field < 0 || process.hasSearchKey(fields.get(field), keys[i + 1])
                    || process.searchKeyCount() >= MAX_KEYS_PER_PROCESS) {
                continue;
            }
            Map<String, Object> values = byField.get(field);
            Object held = values.get(keys[i + 1]);
            String value = keys[i + 1];
            entries++;
            if (held == null) {
                values.put(value, process);
            } else if (held instanceof Process first) {
                value = first.searchValue(fields.get(field), value);
                Postings postings = new Postings(value);
                postings.add(first, maxPerValue);
                entries -= postings.add(process, maxPerValue);
                values.put(value, postings);
            } else {
                Postings postings = (Postings) held;
                value = postings.value;
                entries -= postings.add(process, maxPerValue);
            }
            process.addSearchKey(fields.get(field), value);
        }
    }

    /** Takes the process out of the index: it left memory. */
    synchronized void remove(Process process) {
        String[] keys = process.searchKeys;
        if (keys == null) {
            return;
        }
        for (int i = 0; i + 1 < keys.length && keys[i] != null; i += 2) {
            Map<String, Object> values = byField.get(fields.indexOf(keys[i]));
            String value = keys[i + 1];
            Object held = values.get(value);
            if (held == process) {
                values.remove(value);
                entries--;
            } else if (held instanceof Postings postings && postings.remove(process)) {
                entries--;
                if (postings.size == 0) {
                    values.remove(value);
                }
            }
        }
    }

    /**
     * The correlation ids of the processes of the rarest of these values: the candidates, each of which the query
     * then checks for the other keys on the process itself (a value at its cap may have let go of a process that a
     * rarer one still has).
     */
    synchronized List<String> find(Map<String, String> keys) {
        List<Process> rarest = null;
        for (Map.Entry<String, String> key : keys.entrySet()) {
            int field = fields.indexOf(key.getKey());
            Object held = field < 0 ? null : byField.get(field).get(key.getValue());
            List<Process> these = held == null ? List.of() : held instanceof Process one ? List.of(one)
                    : ((Postings) held).list();
            if (rarest == null || these.size() < rarest.size()) {
                rarest = these;
            }
        }
        return rarest == null ? List.of() : rarest.stream().map(process -> process.correlationId).toList();
    }

    /** Index entries held (a process and one of its values each). */
    synchronized int size() {
        return entries;
    }

    /** The processes of one value, oldest indexed first. */
    private static final class Postings {
        final String value;
        Process[] processes = new Process[4];
        int size;

        Postings(String value) {
            this.value = value;
        }

        /** @return 1 if the oldest indexed process had to go for it, else 0 */
        int add(Process process, int max) {
            int dropped = 0;
            if (size == max) {
                // the oldest indexed goes: a value shared by very many processes keeps the latest ones findable
                System.arraycopy(processes, 1, processes, 0, --size);
                dropped = 1;
            }
            if (size == processes.length) {
                processes = Arrays.copyOf(processes, Math.min(max, size * 2));
            }
            processes[size++] = process;
            return dropped;
        }

        boolean remove(Process process) {
            for (int i = 0; i < size; i++) {
                if (processes[i] == process) {
                    System.arraycopy(processes, i + 1, processes, i, size - i - 1);
                    processes[--size] = null;
                    return true;
                }
            }
            return false;
        }

        List<Process> list() {
            return List.of(Arrays.copyOf(processes, size));
        }
    }
}
