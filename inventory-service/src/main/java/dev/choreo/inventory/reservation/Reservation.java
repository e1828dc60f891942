package dev.choreo.inventory.reservation;

import dev.choreo.events.inventory.ReservedLine;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The stock asked for by one order and what became of it.
 *
 * @param lines the order's lines merged per SKU, in SKU order (the order in which stock rows are locked)
 */
record Reservation(String orderId, UUID reservationId, ReservationStatus status, String reason,
        String correlationId, Instant createdAt, Instant updatedAt, List<Line> lines) {

    Reservation {
        lines = List.copyOf(lines);
    }

    /** One SKU of the order: the quantity asked for, and whether it could not be served. */
    record Line(String sku, long quantity, boolean unavailable) {
    }

    Reservation withLines(List<Line> newLines) {
        return new Reservation(orderId, reservationId, status, reason, correlationId, createdAt, updatedAt,
                newLines);
    }

    /** The held lines as the events carry them; only a held reservation has them, so they fit an int. */
    List<ReservedLine> reservedLines() {
        return lines.stream().map(l -> new ReservedLine(l.sku(), Math.toIntExact(l.quantity()))).toList();
    }

    List<String> unavailableSkus() {
        return lines.stream().filter(Line::unavailable).map(Line::sku).toList();
    }
}
