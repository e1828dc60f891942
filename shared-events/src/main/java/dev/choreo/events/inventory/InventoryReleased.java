package dev.choreo.events.inventory;

import dev.choreo.events.Limits;
import dev.choreo.events.Require;
import java.util.List;

/** Compensation: the reservation of a failed or cancelled order went back to available stock. */
public record InventoryReleased(String orderId, String reason, List<ReservedLine> lines) implements InventoryEvent {

    public InventoryReleased {
        Require.text(orderId, "orderId", Limits.ID);
        Require.text(reason, "reason", Limits.REASON);
        lines = Require.optionalList(lines, "lines", Limits.LINES_PER_ORDER);
    }
}
