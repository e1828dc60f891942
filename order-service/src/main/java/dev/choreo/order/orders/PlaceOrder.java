package dev.choreo.order.orders;

import dev.choreo.events.order.PaymentMethod;
import dev.choreo.events.order.ShippingAddress;
import java.util.List;

/** A customer's order as the API accepted it (already validated), before it is priced. */
public record PlaceOrder(String customerId, List<Item> items, PaymentMethod payment, ShippingAddress shippingAddress) {

    public PlaceOrder {
        items = List.copyOf(items);
    }

    public record Item(String sku, int quantity) {
    }
}
