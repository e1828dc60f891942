package dev.choreo.order.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An order as the API shows it: what was ordered at which prices, where it goes, its status and the history of
 * its process.
 */
public record OrderView(
        String orderId,
        String correlationId,
        String customerId,
        OrderStatus status,
        List<Line> lines,
        BigDecimal total,
        String currency,
        Payment payment,
        Address shippingAddress,
        Cancellation cancellation,
        Instant createdAt,
        Instant updatedAt,
        List<HistoryEntry> history) {

    OrderView with(List<Line> lines, List<HistoryEntry> history) {
        return new OrderView(orderId, correlationId, customerId, status, List.copyOf(lines), total, currency, payment,
                shippingAddress, cancellation, createdAt, updatedAt, List.copyOf(history));
    }

    /** One line, priced from the catalogue when the order was placed. */
    public record Line(String sku, String name, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {
    }

    /** How the order is paid: the payment provider's token; null for an order placed before tokens (issue 15). */
    public record Payment(String token) {
    }

    public record Address(String name, String street, String city, String postalCode, String country) {
    }

    /** Present once a cancellation was requested; the order is CANCELLED when the compensation completes. */
    public record Cancellation(String reason, String requestedBy, Instant requestedAt) {
    }

    /**
     * One event of the order's process, recorded once.
     *
     * @param occurredAt when the producer recorded the event
     * @param recordedAt when order-service saw it
     * @param status     the order's status after it
     */
    public record HistoryEntry(UUID eventId, String eventType, Instant occurredAt, Instant recordedAt,
            OrderStatus status, String detail) {
    }
}
