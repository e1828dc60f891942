package dev.choreo.payment.payments;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A payment as stored, without the card number (which is read only to charge, then dropped).
 *
 * @param orderPlacedAt when OrderPlaced was seen (the order's facts are known); null before
 * @param goAheadAt     when InventoryUpdated was seen (the order may be charged); null before
 */
record Payment(
        String orderId,
        String paymentId,
        PaymentStatus status,
        String customerId,
        BigDecimal amount,
        String currency,
        String cardLast4,
        String chargeReference,
        String reason,
        Instant orderPlacedAt,
        Instant goAheadAt,
        Instant createdAt,
        Instant updatedAt,
        Instant chargedAt,
        Instant declinedAt,
        Instant refundedAt,
        Instant cancelledAt) {

    boolean orderKnown() {
        return orderPlacedAt != null;
    }

    boolean goAheadSeen() {
        return goAheadAt != null;
    }

    boolean readyToCharge() {
        return status == PaymentStatus.PENDING && orderKnown() && goAheadSeen();
    }
}
