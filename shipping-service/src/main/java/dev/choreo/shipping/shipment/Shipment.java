package dev.choreo.shipping.shipment;

import dev.choreo.events.order.ShippingAddress;
import java.time.Instant;
import java.util.UUID;

/**
 * The shipment of one order, from the first fact shipping learns about it to its outcome. Immutable: each
 * transition returns the next state, which {@link ShipmentRepository} stores.
 *
 * @param address        from {@code OrderPlaced}; {@code null} until it arrived
 * @param paymentId      from {@code OrderPayed}; {@code null} until it arrived
 * @param paymentEventId the event id of that {@code OrderPayed}, the cause of the outcome event
 */
record Shipment(
        String orderId,
        ShipmentStatus status,
        ShippingAddress address,
        String paymentId,
        UUID paymentEventId,
        String shipmentId,
        String carrier,
        String trackingNumber,
        String failureReason,
        String cancellationReason,
        Instant createdAt,
        Instant updatedAt) {

    static Shipment placed(String orderId, ShippingAddress address, Instant now) {
        return new Shipment(orderId, ShipmentStatus.AWAITING_PAYMENT, address, null, null, null, null, null, null,
                null, now, now);
    }

    static Shipment paidBeforePlaced(String orderId, String paymentId, UUID paymentEventId, Instant now) {
        return new Shipment(orderId, ShipmentStatus.AWAITING_ADDRESS, null, paymentId, paymentEventId, null, null,
                null, null, null, now, now);
    }

    static Shipment cancelledBeforeAnything(String orderId, String reason, Instant now) {
        return new Shipment(orderId, ShipmentStatus.CANCELLED, null, null, null, null, null, null, null, reason, now,
                now);
    }

    boolean hasAddress() {
        return address != null;
    }

    boolean isPaid() {
        return paymentId != null;
    }

    /** Both facts are in and nothing was decided yet: time to ship (or fail). */
    boolean readyToShip() {
        return hasAddress() && isPaid() && !status.isFinal();
    }

    /** Records the address; the status moves on when {@link #readyToShip()} leads to a decision. */
    Shipment withAddress(ShippingAddress newAddress, Instant now) {
        return new Shipment(orderId, status, newAddress, paymentId, paymentEventId, shipmentId, carrier,
                trackingNumber, failureReason, cancellationReason, createdAt, now);
    }

    /** Records the go-ahead; the status moves on when {@link #readyToShip()} leads to a decision. */
    Shipment withPayment(String newPaymentId, UUID newPaymentEventId, Instant now) {
        return new Shipment(orderId, status, address, newPaymentId, newPaymentEventId, shipmentId, carrier,
                trackingNumber, failureReason, cancellationReason, createdAt, now);
    }

    Shipment cancelled(String reason, Instant now) {
        return new Shipment(orderId, ShipmentStatus.CANCELLED, address, paymentId, paymentEventId, shipmentId,
                carrier, trackingNumber, failureReason, reason, createdAt, now);
    }

    Shipment shipped(String newShipmentId, String newCarrier, String newTrackingNumber, Instant now) {
        return new Shipment(orderId, ShipmentStatus.SHIPPED, address, paymentId, paymentEventId, newShipmentId,
                newCarrier, newTrackingNumber, null, cancellationReason, createdAt, now);
    }

    Shipment failed(String reason, Instant now) {
        return new Shipment(orderId, ShipmentStatus.FAILED, address, paymentId, paymentEventId, shipmentId, carrier,
                trackingNumber, reason, cancellationReason, createdAt, now);
    }
}
