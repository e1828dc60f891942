package dev.choreo.events.catalogue;

import dev.choreo.events.DomainEvent;
import dev.choreo.events.Limits;
import dev.choreo.events.Require;
import java.math.BigDecimal;

/**
 * The current name and price of a product, published by inventory-service on the compacted
 * {@link dev.choreo.events.Topics#PRODUCT_CATALOGUE} topic, keyed by SKU. order-service keeps a replica to price
 * orders and to refuse unknown SKUs without calling inventory.
 */
public record ProductCatalogued(String sku, String name, BigDecimal price, String currency) implements DomainEvent {

    public ProductCatalogued {
        Require.text(sku, "sku", Limits.ID);
        Require.text(name, "name", Limits.NAME);
        Require.money(price, "price");
        Require.text(currency, "currency", Limits.CURRENCY_CODE);
    }

    @Override
    public String streamKey() {
        return sku;
    }
}
