package dev.choreo.events.shipping;

import dev.choreo.events.Limits;
import dev.choreo.events.Require;

/** The order left the warehouse. */
public record OrderShipped(String orderId, String shipmentId, String carrier, String trackingNumber, String country)
        implements ShippingEvent {

    public OrderShipped {
        Require.text(orderId, "orderId", Limits.ID);
        Require.text(shipmentId, "shipmentId", Limits.ID);
        Require.text(carrier, "carrier", Limits.LABEL);
        Require.text(trackingNumber, "trackingNumber", Limits.ID);
        Require.text(country, "country", Limits.COUNTRY_CODE);
    }
}
