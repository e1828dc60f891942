package dev.choreo.order.orders;

/**
 * Where an order is in its process. The status follows the events and only moves forward: each status has a
 * rank, an event never moves the order to a lower or equal rank (topics are read independently, so a step's
 * event may arrive after a later step's), and the terminal statuses are final.
 */
public enum OrderStatus {

    /** Accepted and published as {@code OrderPlaced}. */
    PLACED(0),
    /** Inventory reserved every line ({@code InventoryUpdated}). */
    RESERVED(1),
    /** The total was charged ({@code OrderPayed}). */
    PAID(2),
    /** On its way ({@code OrderShipped}). */
    SHIPPED(3),
    /** The customer was told it shipped ({@code CustomerNotified} of kind {@code ORDER_COMPLETED}). */
    COMPLETED(4),
    /** Inventory could not serve it ({@code InventoryRejected}); nothing was reserved or charged. */
    REJECTED(4),
    /** Compensated: its stock went back ({@code InventoryReleased}), a charge was refunded. */
    CANCELLED(4);

    private final int rank;

    OrderStatus(int rank) {
        this.rank = rank;
    }

    public boolean isTerminal() {
        return rank == 4;
    }

    /** Whether an event that leads to {@code next} moves an order in this status forward. */
    public boolean canAdvanceTo(OrderStatus next) {
        return !isTerminal() && next.rank > rank;
    }

    /** Whether the order is still in flight, so a cancellation can still stop it. */
    public boolean isCancellable() {
        return this == PLACED || this == RESERVED || this == PAID;
    }
}
