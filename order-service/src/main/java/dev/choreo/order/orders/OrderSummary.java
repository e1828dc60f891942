package dev.choreo.order.orders;

import java.math.BigDecimal;
import java.time.Instant;

/** An order in a list. */
public record OrderSummary(String orderId, String correlationId, String customerId, OrderStatus status,
        BigDecimal total, String currency, boolean cancellationRequested, Instant createdAt, Instant updatedAt) {
}
