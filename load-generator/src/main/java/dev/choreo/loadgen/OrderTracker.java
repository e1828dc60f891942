package dev.choreo.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

import dev.choreo.events.notification.NotificationKind;

/**
 * Matches each accepted order (its id from the {@code 201}) with its end event (record key = order id on
 * {@code notification-events}), whichever of the two arrives first: on a fast path the end event can overtake
 * the HTTP response.
 */
final class OrderTracker {

    /** An order the suite accepted, waiting for its end event. */
    record Placed(Scenario scenario, long sentNanos, long sentEpochMicros, PhaseStats phase) {
    }

    /** An end event read from Kafka. */
    record End(NotificationKind kind, long receivedNanos, long timestampEpochMillis) {
    }

    /** Either half of the match; complete when both are in. */
    private static final class Slot {
        Placed placed;
        End end;
    }

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    /** Orders whose end was recorded, to tell a duplicate end event from one of an unknown order. */
    private final Map<String, PhaseStats> done = new ConcurrentHashMap<>();
    private final LongAdder foreignEnds = new LongAdder();
    /** Bounds the orders placed but not yet ended (released on end or failure). */
    private final Semaphore openPermits;
    private final int maxOpen;

    OrderTracker(int maxOpen) {
        this.maxOpen = maxOpen;
        this.openPermits = new Semaphore(maxOpen);
    }

    Semaphore openPermits() {
        return openPermits;
    }

    int maxOpen() {
        return maxOpen;
    }

    /** The POST was answered 201 with this order id. */
    void accepted(String orderId, Placed placed) {
        placed.phase().accepted();
        Slot[] matched = new Slot[1];
        slots.compute(orderId, (id, slot) -> {
            Slot s = slot == null ? new Slot() : slot;
            s.placed = placed;
            if (s.end != null) {
                matched[0] = s;
                return null;
            }
            return s;
        });
        if (matched[0] != null) {
            complete(orderId, matched[0].placed, matched[0].end);
        }
    }

    /** The POST failed: no order to wait for. */
    void failed() {
        openPermits.release();
    }

    /** An end event arrived for this order id. Called by the one end-event consumer thread. */
    void ended(String orderId, End end) {
        PhaseStats already = done.get(orderId);
        if (already != null) {
            already.duplicateEnds.increment();
            return;
        }
        Slot[] matched = new Slot[1];
        slots.compute(orderId, (id, slot) -> {
            Slot s = slot == null ? new Slot() : slot;
            if (s.end != null) {
                // a second end event before the POST response: keep the first, count this one when matched
                return s;
            }
            s.end = end;
            if (s.placed != null) {
                matched[0] = s;
                return null;
            }
            return s;
        });
        if (matched[0] != null) {
            complete(orderId, matched[0].placed, matched[0].end);
        }
    }

    private void complete(String orderId, Placed placed, End end) {
        done.put(orderId, placed.phase());
        long micros = (end.receivedNanos() - placed.sentNanos()) / 1_000;
        long timestampMicros = end.timestampEpochMillis() * 1_000 - placed.sentEpochMicros();
        placed.phase().ended(placed.scenario(), end.kind(), micros, timestampMicros, end.receivedNanos());
        openPermits.release();
    }

    /**
     * Gives up on the orders of {@code phase} that have not ended: they count as not ended (lost or stuck).
     *
     * @return their order ids
     */
    List<String> abandon(PhaseStats phase) {
        List<String> abandoned = new ArrayList<>();
        for (Map.Entry<String, Slot> entry : slots.entrySet()) {
            Placed placed = entry.getValue().placed;
            if (placed != null && placed.phase() == phase && slots.remove(entry.getKey(), entry.getValue())) {
                phase.notEnded(placed.scenario(), entry.getKey());
                openPermits.release();
                abandoned.add(entry.getKey());
            }
        }
        return abandoned;
    }

    /** End events of orders this run did not place (another client, or a previous run), dropped after a phase. */
    long dropForeignEnds() {
        long dropped = 0;
        for (Map.Entry<String, Slot> entry : slots.entrySet()) {
            if (entry.getValue().placed == null && slots.remove(entry.getKey(), entry.getValue())) {
                dropped++;
            }
        }
        foreignEnds.add(dropped);
        return dropped;
    }

    long foreignEnds() {
        return foreignEnds.sum();
    }
}
