package dev.choreo.events.inventory;

import dev.choreo.events.Limits;
import dev.choreo.events.Require;
import java.util.List;

/** The order cannot be served from stock; nothing was reserved. */
public record InventoryRejected(String orderId, String reason, List<String> unavailableSkus)
        implements InventoryEvent {

    public InventoryRejected {
        Require.text(orderId, "orderId", Limits.ID);
        Require.text(reason, "reason", Limits.REASON);
        unavailableSkus = Require.optionalList(unavailableSkus, "unavailableSkus", Limits.LINES_PER_ORDER);
        unavailableSkus.forEach(sku -> Require.text(sku, "unavailableSkus[]", Limits.ID));
    }
}
