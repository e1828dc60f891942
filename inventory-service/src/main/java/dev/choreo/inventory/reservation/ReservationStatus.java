package dev.choreo.inventory.reservation;

/** What became of the stock asked for by one order. */
enum ReservationStatus {
    /** Every line is held for the order. */
    RESERVED,
    /** A compensation (declined or voided payment, failed or withdrawn shipment) gave the held stock back. */
    RELEASED,
    /** The held stock left the warehouse. */
    SHIPPED,
    /** Some line could not be served; nothing was held. */
    REJECTED,
    /**
     * The order's cancellation arrived before the order itself: nothing was held, and the order will not be
     * reserved if it still arrives.
     */
    CANCELLED
}
