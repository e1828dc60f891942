package dev.choreo.events.inventory;

import dev.choreo.events.Require;
import java.util.List;

/** Compensation: the reservation of a failed or cancelled order went back to available stock. */
public record InventoryReleased(String orderId, String reason, List<ReservedLine> lines) implements InventoryEvent {

    public InventoryReleased {
        Require.text(orderId, "orderId");
        Require.text(reason, "reason");
        lines = lines == null ? List.of() : List.copyOf(lines);
    }
}
