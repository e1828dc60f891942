package dev.choreo.events.inventory;

import dev.choreo.events.Limits;
import dev.choreo.events.Require;

/** Quantity of one SKU held for an order. */
public record ReservedLine(String sku, int quantity) {

    public ReservedLine {
        Require.text(sku, "sku", Limits.ID);
        Require.positive(quantity, "quantity", Limits.QUANTITY_PER_LINE);
    }
}
