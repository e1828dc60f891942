package dev.choreo.events.order;

import dev.choreo.events.Limits;
import dev.choreo.events.Require;
import java.math.BigDecimal;

/** One line of a placed order, priced from inventory's catalogue. */
public record OrderLine(String sku, int quantity, BigDecimal unitPrice) {

    public OrderLine {
        Require.text(sku, "sku", Limits.ID);
        Require.positive(quantity, "quantity", Limits.QUANTITY_PER_LINE);
        Require.money(unitPrice, "unitPrice");
    }

    public BigDecimal lineTotal() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
