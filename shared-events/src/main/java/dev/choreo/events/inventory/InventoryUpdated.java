package dev.choreo.events.inventory;

import dev.choreo.events.Limits;
import dev.choreo.events.Require;
import java.util.List;

/** Stock for every line of the order is reserved. */
public record InventoryUpdated(String orderId, String reservationId, List<ReservedLine> lines)
        implements InventoryEvent {

    public InventoryUpdated {
        Require.text(orderId, "orderId", Limits.ID);
        Require.text(reservationId, "reservationId", Limits.ID);
        lines = Require.nonEmpty(lines, "lines", Limits.LINES_PER_ORDER);
    }
}
