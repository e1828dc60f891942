package dev.choreo.order.web;

import dev.choreo.events.Limits;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The optional body of {@code POST /orders/{orderId}/cancel}. */
public record CancelOrderRequest(
        @Schema(example = "changed my mind", description = "why; a default reason is recorded when absent")
        @Size(max = Limits.REASON) @Pattern(regexp = PlaceOrderRequest.TEXT, message = PlaceOrderRequest.TEXT_MESSAGE)
        String reason) {
}
