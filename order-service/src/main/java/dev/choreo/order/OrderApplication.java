package dev.choreo.order;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * order-service: places orders (priced from its replica of inventory's catalogue), starts each order's process
 * with {@code OrderPlaced}, follows the order's status from the other services' events, and cancels orders in
 * flight with {@code OrderCancelled}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OrderApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrderApplication.class, args);
    }
}
