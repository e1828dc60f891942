package dev.choreo.inventory;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of inventory-service, under {@code choreo.inventory}.
 *
 * @param catalogue how the catalogue is published for the other services
 * @param metrics   how the stock gauges are kept current
 */
@Validated
@ConfigurationProperties("choreo.inventory")
public record InventoryProperties(
        @Valid @NotNull @DefaultValue Catalogue catalogue,
        @Valid @NotNull @DefaultValue Metrics metrics) {

    /**
     * @param publishOnStartup publish one {@code ProductCatalogued} per product when the service is ready, so a
     *                         replica (order-service) always converges on the current names and prices
     * @param correlationId    correlation id of the catalogue events (they belong to no order)
     */
    public record Catalogue(
            @DefaultValue("true") boolean publishOnStartup,
            @DefaultValue("catalogue") @NotBlank String correlationId) {
    }

    /**
     * @param stockRefreshInterval how often the stock gauges ({@code choreo_inventory_stock}) are read from the
     *                             database
     */
    public record Metrics(@DefaultValue("10s") @NotNull @DurationMin(millis = 100) Duration stockRefreshInterval) {
    }
}
