package dev.choreo.collector.process;

/**
 * The open processes of one shard by order id (the record key), for records that carry no correlation id (a poison
 * record's dead letter): one lookup instead of a scan of every open process under the shard lock. Open addressing
 * over the processes themselves, no entry objects: at most half full, so 4 to 8 bytes per open process with
 * compressed references. Bounded as the open processes are.
 */
final class OrderIdIndex {

    private static final int INITIAL_SLOTS = 16;

    private Process[] table = new Process[INITIAL_SLOTS];
    private int size;

    int size() {
        return size;
    }

    Process get(String orderId) {
        int mask = table.length - 1;
        for (int slot = home(orderId, mask); table[slot] != null; slot = (slot + 1) & mask) {
            if (orderId.equals(table[slot].orderId)) {
                return table[slot];
            }
        }
        return null;
    }

    /** Indexes a process by its order id; a later process with the same order id takes the earlier one's place. */
    void put(Process process) {
        if ((size + 1) * 2 > table.length) {
            resize(table.length * 2);
        }
        int mask = table.length - 1;
        int slot = home(process.orderId, mask);
        for (; table[slot] != null; slot = (slot + 1) & mask) {
            if (process.orderId.equals(table[slot].orderId)) {
                table[slot] = process;
                return;
            }
        }
        table[slot] = process;
        size++;
    }

    /** Removes the process if it is the one indexed under its order id. */
    void remove(Process process) {
        if (process.orderId == null) {
            return;
        }
        int mask = table.length - 1;
        int hole = home(process.orderId, mask);
        while (table[hole] != null && table[hole] != process) {
            hole = (hole + 1) & mask;
        }
        if (table[hole] == null) {
            return;
        }
        // backward-shift deletion: later entries of the probe run move up, so lookups never stop at a false gap
        for (int next = (hole + 1) & mask; table[next] != null; next = (next + 1) & mask) {
            int home = home(table[next].orderId, mask);
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                table[hole] = table[next];
                hole = next;
            }
        }
        table[hole] = null;
        size--;
    }

    private void resize(int slots) {
        Process[] old = table;
        table = new Process[slots];
        size = 0;
        for (Process process : old) {
            if (process != null) {
                put(process);
            }
        }
    }

    private static int home(String orderId, int mask) {
        int hash = orderId.hashCode() * 0x9E3779B9;
        return (hash ^ (hash >>> 16)) & mask;
    }
}
