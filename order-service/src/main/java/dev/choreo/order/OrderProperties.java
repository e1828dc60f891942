package dev.choreo.order;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of order-service, under {@code choreo.order}.
 *
 * @param defaultCancellationReason reason recorded in {@code OrderCancelled} when a customer cancels without
 *                                  giving one
 */
@Validated
@ConfigurationProperties("choreo.order")
public record OrderProperties(
        @NotBlank @Size(max = 200) @DefaultValue("cancelled by the customer") String defaultCancellationReason) {
}
