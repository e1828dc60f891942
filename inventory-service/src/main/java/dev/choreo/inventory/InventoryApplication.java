package dev.choreo.inventory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * inventory-service: owns the product catalogue and the stock. It reserves stock for placed orders, releases
 * reservations on every compensation, books shipped stock, and publishes the catalogue for the other services.
 * Scheduling refreshes the stock gauges.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class InventoryApplication {

    public static void main(String[] args) {
        SpringApplication.run(InventoryApplication.class, args);
    }
}
