package dev.choreo.events.inventory;

import dev.choreo.events.Require;
import java.util.List;

/** The order cannot be served from stock; nothing was reserved. */
public record InventoryRejected(String orderId, String reason, List<String> unavailableSkus)
        implements InventoryEvent {

    public InventoryRejected {
        Require.text(orderId, "orderId");
        Require.text(reason, "reason");
        unavailableSkus = unavailableSkus == null ? List.of() : List.copyOf(unavailableSkus);
    }
}
