package dev.choreo.inventory.catalogue;

import java.math.BigDecimal;

/** A product of the catalogue with its stock counts; {@code available + reserved + shipped == stocked}. */
record ProductStock(String sku, String name, BigDecimal price, String currency, int stocked, int available,
        int reserved, int shipped) {
}
