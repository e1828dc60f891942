package dev.choreo.order;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of order-service, under {@code choreo.order}.
 *
 * @param maxRequestSize            largest request body accepted; a larger one is refused with 413 before it is
 *                                  parsed (an order of the maximum 50 lines is far below the default 64KB)
 * @param defaultCancellationReason reason recorded in {@code OrderCancelled} when a customer cancels without
 *                                  giving one
 */
@Validated
@ConfigurationProperties("choreo.order")
public record OrderProperties(
        @NotNull @DefaultValue("64KB") DataSize maxRequestSize,
        @NotBlank @Size(max = 200) @DefaultValue("cancelled by the customer") String defaultCancellationReason) {

    public OrderProperties {
        if (maxRequestSize != null && (maxRequestSize.toBytes() < 1024 || maxRequestSize.toMegabytes() > 16)) {
            throw new IllegalArgumentException("choreo.order.max-request-size must be between 1KB and 16MB");
        }
    }
}
