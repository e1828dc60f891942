package dev.choreo.order.orders;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Limits;
import dev.choreo.events.order.OrderLine;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.messaging.outbox.EventPublisher;
import dev.choreo.order.catalogue.CataloguedProduct;
import dev.choreo.order.catalogue.Catalogue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places orders: prices them from the catalogue replica, stores them PLACED and publishes {@code OrderPlaced}
 * (which mints the process's correlation id) in one database transaction, through the outbox.
 */
@Service
public class OrderPlacing {

    private static final Logger log = LoggerFactory.getLogger(OrderPlacing.class);

    private final Catalogue catalogue;
    private final Orders orders;
    private final EventPublisher events;
    private final OrderMetrics metrics;

    OrderPlacing(Catalogue catalogue, Orders orders, EventPublisher events, OrderMetrics metrics) {
        this.catalogue = catalogue;
        this.orders = orders;
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * @throws UnpricedOrderException if a SKU is not in the catalogue or the order cannot be priced as one total;
     *                                nothing is written then
     */
    @Transactional
    public OrderView place(PlaceOrder order) {
        Map<String, CataloguedProduct> products = catalogue.find(
                order.items().stream().map(PlaceOrder.Item::sku).collect(Collectors.toSet()));
        List<OrderLine> lines = price(order, products);
        String currency = products.values().iterator().next().currency();
        BigDecimal total = lines.stream().map(OrderLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (total.compareTo(Limits.MAX_AMOUNT) > 0) {
            throw new UnpricedOrderException(List.of(new UnpricedOrderException.Problem("items",
                    "the order's total exceeds " + Limits.MAX_AMOUNT_TEXT + " " + currency)));
        }
        String orderId = "ord-" + UUID.randomUUID();
        EventEnvelope<OrderPlaced> placed = events.startProcess(new OrderPlaced(orderId, order.customerId(), lines,
                total, currency, order.payment(), order.shippingAddress()));
        orders.insert(placed, products.values().stream()
                .collect(Collectors.toMap(CataloguedProduct::sku, CataloguedProduct::name)));
        orders.appendHistory(orderId, placed, OrderStatus.PLACED, "placed %d line(s), total %s %s"
                .formatted(lines.size(), total.toPlainString(), currency), placed.occurredAt());
        metrics.placed();
        if (log.isDebugEnabled()) {
            try (var correlation = LogCorrelation.of(placed.correlationId())) {
                log.debug("Placed order {} of customer {}: {} line(s), total {} {}", orderId, order.customerId(),
                        lines.size(), total.toPlainString(), currency);
            }
        }
        return orders.find(orderId).orElseThrow();
    }

    private static List<OrderLine> price(PlaceOrder order, Map<String, CataloguedProduct> products) {
        List<UnpricedOrderException.Problem> problems = new ArrayList<>();
        List<OrderLine> lines = new ArrayList<>();
        for (int i = 0; i < order.items().size(); i++) {
            PlaceOrder.Item item = order.items().get(i);
            CataloguedProduct product = products.get(item.sku());
            if (product == null) {
                problems.add(new UnpricedOrderException.Problem("items[" + i + "].sku",
                        "unknown SKU '" + item.sku() + "': not in the catalogue"));
            } else {
                lines.add(new OrderLine(item.sku(), item.quantity(), product.price()));
            }
        }
        SortedSet<String> currencies = products.values().stream().map(CataloguedProduct::currency)
                .collect(Collectors.toCollection(TreeSet::new));
        if (problems.isEmpty() && currencies.size() > 1) {
            problems.add(new UnpricedOrderException.Problem("items",
                    "the products are priced in different currencies " + currencies + "; order them separately"));
        }
        if (!problems.isEmpty()) {
            throw new UnpricedOrderException(problems);
        }
        return lines;
    }
}
