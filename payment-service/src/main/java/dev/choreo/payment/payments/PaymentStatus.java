package dev.choreo.payment.payments;

/** Where a payment stands. {@code PENDING} moves on; {@code CHARGING} and
 * {@code REFUNDING} wait for the gateway's answer; the others are final, except that a charge is refunded. */
public enum PaymentStatus {
    /** Waiting for the order (OrderPlaced) and inventory's go-ahead (InventoryUpdated), or for one of them. */
    PENDING,
    /** The order may be charged: the gateway is called once the transaction that decided it has committed. */
    CHARGING,
    /** The order's total was taken. */
    CHARGED,
    /** The gateway refused the charge; nothing was taken. */
    DECLINED,
    /** The charge is to be paid back: the gateway is called once the transaction that decided it has committed. */
    REFUNDING,
    /** The charge was paid back (shipping failed or the order was cancelled). */
    REFUNDED,
    /** The order was cancelled before anything was charged; a late go-ahead charges nothing. */
    CANCELLED
}
