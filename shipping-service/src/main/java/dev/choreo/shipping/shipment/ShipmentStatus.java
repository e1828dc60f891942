package dev.choreo.shipping.shipment;

/** Where an order's shipment stands. */
public enum ShipmentStatus {
    /** The address is known (OrderPlaced); waiting for the go-ahead (OrderPayed). */
    AWAITING_PAYMENT,
    /** Paid (OrderPayed arrived first, topics are read independently); waiting for the address (OrderPlaced). */
    AWAITING_ADDRESS,
    /** Handed to the carrier; {@code OrderShipped} was published. */
    SHIPPED,
    /** No carrier delivers to the destination; {@code ShippingFailed} was published. */
    FAILED,
    /** The order was cancelled before it shipped: nothing ships, and a paid order gets {@code ShippingFailed}. */
    CANCELLED;

    boolean isFinal() {
        return this == SHIPPED || this == FAILED || this == CANCELLED;
    }
}
