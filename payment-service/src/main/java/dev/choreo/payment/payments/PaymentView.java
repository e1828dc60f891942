package dev.choreo.payment.payments;

import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;

/** A payment as the REST API shows it: no card number (payment-service never sees one), its last 4 digits once charged. */
@Schema(name = "Payment", description = "The payment of one order")
public record PaymentView(
        @Schema(example = "ord-3f1c8f8e-5a4b-4e0e-9a59-0f3c2f8a1d2b") String orderId,
        @Schema(example = "pay-8b0d6a4e-2f7c-4d2a-a1f3-6c1e9b7d5a40") String paymentId,
        PaymentStatus status,
        @Schema(description = "What a PENDING payment waits for: OrderPlaced (the order's facts) and/or "
                + "InventoryUpdated (inventory's go-ahead); a CHARGING or REFUNDING one: the payment gateway's "
                + "answer; null once decided", example = "InventoryUpdated",
                nullable = true) String waitingFor,
        @Schema(example = "c-42", nullable = true) String customerId,
        @Schema(example = "49.90", nullable = true) BigDecimal amount,
        @Schema(example = "EUR", nullable = true) String currency,
        @Schema(example = "4242", nullable = true) String cardLast4,
        @Schema(description = "Why it was declined, refunded or cancelled", example = "card declined",
                nullable = true) String reason,
        Instant createdAt,
        Instant updatedAt,
        @Schema(nullable = true) Instant chargedAt,
        @Schema(nullable = true) Instant declinedAt,
        @Schema(nullable = true) Instant refundedAt,
        @Schema(nullable = true) Instant cancelledAt) {

    static PaymentView of(Payment payment) {
        return new PaymentView(payment.orderId(), payment.paymentId(), payment.status(), waitingFor(payment),
                payment.customerId(), payment.amount(), payment.currency(), payment.cardLast4(), payment.reason(),
                payment.createdAt(), payment.updatedAt(), payment.chargedAt(), payment.declinedAt(),
                payment.refundedAt(), payment.cancelledAt());
    }

    private static String waitingFor(Payment payment) {
        if (payment.status() == PaymentStatus.CHARGING || payment.status() == PaymentStatus.REFUNDING) {
            return "payment gateway";
        }
        if (payment.status() != PaymentStatus.PENDING) {
            return null;
        }
        if (!payment.orderKnown() && !payment.goAheadSeen()) {
            return "OrderPlaced, InventoryUpdated";
        }
        return payment.orderKnown() ? "InventoryUpdated" : "OrderPlaced";
    }
}
