package dev.choreo.shipping.shipment;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** A shipment as the REST API shows it. Fields not known yet (or not applicable) are {@code null}. */
@Schema(name = "Shipment")
record ShipmentView(
        String orderId,
        @Schema(description = "AWAITING_PAYMENT, AWAITING_ADDRESS (paid before the order's address arrived), "
                + "SHIPPED, FAILED or CANCELLED") ShipmentStatus status,
        Address address,
        String shipmentId,
        String carrier,
        String trackingNumber,
        @Schema(description = "why the shipment failed, when FAILED") String failureReason,
        @Schema(description = "why the order was cancelled, when it was") String cancellationReason,
        Instant createdAt,
        Instant updatedAt) {

    /** The destination, from {@code OrderPlaced}; {@code country} is ISO 3166-1 alpha-2. */
    record Address(String name, String street, String city, String postalCode, String country) {
    }

    static ShipmentView of(Shipment s) {
        var a = s.address();
        return new ShipmentView(s.orderId(), s.status(),
                a == null ? null : new Address(a.name(), a.street(), a.city(), a.postalCode(), a.country()),
                s.shipmentId(), s.carrier(), s.trackingNumber(), s.failureReason(), s.cancellationReason(),
                s.createdAt(), s.updatedAt());
    }
}
