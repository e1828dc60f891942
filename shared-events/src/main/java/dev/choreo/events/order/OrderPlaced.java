package dev.choreo.events.order;

import dev.choreo.events.Limits;
import dev.choreo.events.Require;
import java.math.BigDecimal;
import java.util.List;

/**
 * A customer placed an order; starts the process. Carries what the later steps need, so nobody calls back.
 * Schema version 2: the payment is a provider's token ({@link PaymentMethod}); version 1 carried the card number
 * and is retired, not read side by side (see {@link dev.choreo.events.EventCatalog}).
 */
public record OrderPlaced(
        String orderId,
        String customerId,
        List<OrderLine> lines,
        BigDecimal total,
        String currency,
        PaymentMethod payment,
        ShippingAddress shippingAddress) implements OrderEvent {

    public OrderPlaced {
        Require.text(orderId, "orderId", Limits.ID);
        Require.text(customerId, "customerId", Limits.ID);
        lines = Require.nonEmpty(lines, "lines", Limits.LINES_PER_ORDER);
        Require.money(total, "total");
        Require.text(currency, "currency", Limits.CURRENCY_CODE);
        Require.present(payment, "payment");
        Require.present(shippingAddress, "shippingAddress");
    }
}
