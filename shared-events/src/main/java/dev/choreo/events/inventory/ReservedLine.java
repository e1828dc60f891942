package dev.choreo.events.inventory;

import dev.choreo.events.Require;

/** Quantity of one SKU held for an order. */
public record ReservedLine(String sku, int quantity) {

    public ReservedLine {
        Require.text(sku, "sku");
        Require.positive(quantity, "quantity");
    }
}
