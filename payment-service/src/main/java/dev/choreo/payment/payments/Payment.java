package dev.choreo.payment.payments;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A payment as stored, without the payment provider's token (read only to charge, then dropped); the card's last 4
 * digits are the provider's, known once it is charged.
 *
 * @param orderPlacedAt when OrderPlaced was seen (the order's facts are known); null before
 * @param goAheadAt     when InventoryUpdated was seen (the order may be charged); null before
 * @param correlationId the order's process, once a gateway call was decided
 * @param gatewayCause  the event the pending gateway call's answer reacts to (CHARGING, REFUNDING)
 * @param gatewayTraceparent the trace the pending gateway call belongs to; null without tracing
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
        Instant cancelledAt,
        String correlationId,
        UUID gatewayCause,
        String gatewayTraceparent) {

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
