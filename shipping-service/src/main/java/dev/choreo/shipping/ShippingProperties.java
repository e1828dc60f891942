package dev.choreo.shipping;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.Locale;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of shipping-service, under {@code choreo.shipping}.
 *
 * @param carrier              the carrier every shipment is handed to; named in {@code OrderShipped}
 * @param trackingPrefix       prefix of the tracking numbers this service mints, e.g. {@code CP} gives
 *                             {@code CP4F1A9B03C2D7}
 * @param unsupportedCountries ISO 3166-1 alpha-2 codes of destinations no carrier delivers to; a paid order
 *                             bound for one of them fails with {@code ShippingFailed} and is compensated
 */
@Validated
@ConfigurationProperties("choreo.shipping")
public record ShippingProperties(
        @NotBlank String carrier,
        @NotBlank @Pattern(regexp = "[A-Z0-9]{1,8}") String trackingPrefix,
        @NotNull @DefaultValue Set<@Pattern(regexp = "[A-Z]{2}") String> unsupportedCountries) {

    public ShippingProperties {
        unsupportedCountries = unsupportedCountries == null ? Set.of() : Set.copyOf(unsupportedCountries);
    }

    /** Whether a carrier delivers to {@code country} (compared case-insensitively, as events may vary). */
    public boolean delivers(String country) {
        return !unsupportedCountries.contains(country.trim().toUpperCase(Locale.ROOT));
    }
}
