package dev.choreo.collector.process;

import java.util.function.Consumer;

/**
 * A hashed timing wheel keyed by each process's next deadline. Scheduling, rescheduling and cancelling are O(1)
 * (the process is its own list node); advancing visits only the slots whose ticks passed, so the cost follows
 * the deadlines that fall due, not the number of processes in flight. A deadline beyond one turn of the wheel
 * stays in its slot until its turn comes (it is skipped, not fired, on earlier turns).
 */
final class TimerWheel {

    private static final long UNSTARTED = Long.MIN_VALUE;

    private final long tickMillis;
    private final Process[] slots;
    private final int mask;
    /** The last tick whose slot was fired. */
    private long currentTick = UNSTARTED;
    private int size;

    TimerWheel(long tickMillis, int slotCount) {
        if (Integer.bitCount(slotCount) != 1) {
            throw new IllegalArgumentException("slot count must be a power of two");
        }
        this.tickMillis = tickMillis;
        this.slots = new Process[slotCount];
        this.mask = slotCount - 1;
    }

    int size() {
        return size;
    }

    void schedule(Process process, long at) {
        cancel(process);
        long tick = Math.floorDiv(at, tickMillis);
        if (currentTick != UNSTARTED && tick <= currentTick) {
            tick = currentTick + 1;
        }
        int slot = (int) (tick & mask);
        Process head = slots[slot];
        process.wheelNext = head;
        process.wheelPrevious = null;
        if (head != null) {
            head.wheelPrevious = process;
        }
        slots[slot] = process;
        process.wakeAt = at;
        process.wheelSlot = slot;
        size++;
    }

    void cancel(Process process) {
        if (process.wheelSlot < 0) {
            return;
        }
        Process previous = process.wheelPrevious;
        Process next = process.wheelNext;
        if (previous != null) {
            previous.wheelNext = next;
        } else {
            slots[process.wheelSlot] = next;
        }
        if (next != null) {
            next.wheelPrevious = previous;
        }
        process.wheelNext = null;
        process.wheelPrevious = null;
        process.wheelSlot = -1;
        size--;
    }

    /**
     * Moves the wheel to {@code now} and hands every process whose wake time is not after it to {@code due},
     * which may schedule it again.
     */
    void advance(long now, Consumer<Process> due) {
        // only ticks that have fully passed: every node in such a slot (this turn) is due
        long target = Math.floorDiv(now, tickMillis) - 1;
        if (currentTick == UNSTARTED) {
            // the first advance visits every slot once: whatever was scheduled before is fired if due
            currentTick = target - slots.length;
        }
        long turns = Math.min(target - currentTick, slots.length);
        for (long i = 0; i < turns; i++) {
            currentTick++;
            fireSlot((int) (currentTick & mask), now, due);
        }
        if (target > currentTick) {
            currentTick = target;
        }
    }

    private void fireSlot(int slot, long now, Consumer<Process> due) {
        Process process = slots[slot];
        while (process != null) {
            Process next = process.wheelNext;
            if (process.wakeAt <= now) {
                cancel(process);
                due.accept(process);
            }
            process = next;
        }
    }
}
