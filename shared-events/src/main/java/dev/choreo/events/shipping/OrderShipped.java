package dev.choreo.events.shipping;

import dev.choreo.events.Require;

/** The order left the warehouse. */
public record OrderShipped(String orderId, String shipmentId, String carrier, String trackingNumber, String country)
        implements ShippingEvent {

    public OrderShipped {
        Require.text(orderId, "orderId");
        Require.text(shipmentId, "shipmentId");
        Require.text(carrier, "carrier");
        Require.text(trackingNumber, "trackingNumber");
        Require.text(country, "country");
    }
}
