package dev.choreo.events.order;

import dev.choreo.events.Limits;
import dev.choreo.events.Require;

/** Where an order goes; {@code country} is an ISO 3166-1 alpha-2 code. */
public record ShippingAddress(String name, String street, String city, String postalCode, String country) {

    public ShippingAddress {
        Require.text(name, "name", Limits.NAME);
        Require.text(street, "street", Limits.NAME);
        Require.text(city, "city", Limits.NAME);
        Require.text(postalCode, "postalCode", Limits.POSTAL_CODE);
        Require.text(country, "country", Limits.COUNTRY_CODE);
    }
}
