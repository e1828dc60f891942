package dev.choreo.order.catalogue;

import java.math.BigDecimal;

/** A product as order-service knows it from inventory's catalogue: what it is called and what it costs. */
public record CataloguedProduct(String sku, String name, BigDecimal price, String currency) {
}
