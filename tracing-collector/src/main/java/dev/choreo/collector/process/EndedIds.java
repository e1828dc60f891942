package dev.choreo.collector.process;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Remembers far more ended processes than the history keeps, at 16 bytes each: a late or redelivered event of
 * a process that ended (and left the history) is dropped instead of starting a phantom process that would be
 * flagged stuck. Two generations of open-addressing sets of 64-bit id hashes: when the current one fills, it
 * becomes the previous one and the oldest generation is forgotten.
 */
final class EndedIds {

    private static final long EMPTY = 0;

    private final int capacity;
    private long[] current;
    private long[] previous;
    private int size;

    EndedIds(int capacity) {
        this.capacity = Math.max(16, capacity);
        this.current = new long[tableSize(this.capacity)];
        this.previous = new long[tableSize(this.capacity)];
    }

    void add(String correlationId) {
        long hash = hash(correlationId);
        if (contains(current, hash)) {
            return;
        }
        if (size == capacity) {
            long[] recycled = previous;
            Arrays.fill(recycled, EMPTY);
            previous = current;
            current = recycled;
            size = 0;
        }
        insert(current, hash);
        size++;
    }

    boolean contains(String correlationId) {
        long hash = hash(correlationId);
        return contains(current, hash) || contains(previous, hash);
    }

    private static int tableSize(int capacity) {
        return Integer.highestOneBit(capacity * 2 - 1) << 1;
    }

    private static void insert(long[] table, long hash) {
        int mask = table.length - 1;
        int slot = (int) mix(hash) & mask;
        while (table[slot] != EMPTY) {
            slot = (slot + 1) & mask;
        }
        table[slot] = hash;
    }

    private static boolean contains(long[] table, long hash) {
        int mask = table.length - 1;
        for (int slot = (int) mix(hash) & mask; table[slot] != EMPTY; slot = (slot + 1) & mask) {
            if (table[slot] == hash) {
                return true;
            }
        }
        return false;
    }

    /** 64-bit FNV-1a of the id: collisions among millions of ids are negligible (unlike String.hashCode). */
    static long hash(String id) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xFF;
            hash *= 0x100000001b3L;
        }
        return hash == EMPTY ? 1 : hash;
    }

    private static long mix(long hash) {
        long mixed = hash ^ (hash >>> 33);
        mixed *= 0xff51afd7ed558ccdL;
        return mixed ^ (mixed >>> 33);
    }
}
