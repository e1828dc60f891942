package dev.choreo.events.order;

import dev.choreo.events.Require;

/** Where an order goes; {@code country} is an ISO 3166-1 alpha-2 code. */
public record ShippingAddress(String name, String street, String city, String postalCode, String country) {

    public ShippingAddress {
        Require.text(name, "name");
        Require.text(street, "street");
        Require.text(city, "city");
        Require.text(postalCode, "postalCode");
        Require.text(country, "country");
    }
}
