package dev.choreo.events.order;

import dev.choreo.events.Require;
import java.math.BigDecimal;
import java.util.List;

/** A customer placed an order; starts the process. Carries what the later steps need, so nobody calls back. */
public record OrderPlaced(
        String orderId,
        String customerId,
        List<OrderLine> lines,
        BigDecimal total,
        String currency,
        PaymentCard payment,
        ShippingAddress shippingAddress) implements OrderEvent {

    public OrderPlaced {
        Require.text(orderId, "orderId");
        Require.text(customerId, "customerId");
        lines = Require.nonEmpty(lines, "lines");
        Require.nonNegative(total, "total");
        Require.text(currency, "currency");
        Require.present(payment, "payment");
        Require.present(shippingAddress, "shippingAddress");
    }
}
