package dev.choreo.payment.payments;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Read access to the payments. Bad input is answered with 400 and unknown orders with 404, both as RFC 9457
 * problem details (the parameters' constraints are checked by Spring MVC's built-in method validation).
 */
@RestController
@RequestMapping("/payments")
@Tag(name = "Payments", description = "The payment of each order: charged, declined, refunded or cancelled")
class PaymentController {

    static final String ORDER_ID = "[A-Za-z0-9][A-Za-z0-9._:-]{0,99}";
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final PaymentRepository payments;

    PaymentController(PaymentRepository payments) {
        this.payments = payments;
    }

    @GetMapping("/{orderId}")
    @Operation(summary = "The payment of an order", description = "Exists once payment-service has seen an event "
            + "of the order (OrderPlaced, InventoryUpdated or OrderCancelled).")
    @ApiResponse(responseCode = "200", description = "The payment")
    @ApiResponse(responseCode = "400", description = "The order id is malformed",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "payment-service knows no payment of this order",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    PaymentView byOrder(@Parameter(description = "The order's id", example = "ord-3f1c8f8e")
            @PathVariable @Pattern(regexp = ORDER_ID) String orderId) {
        return payments.find(orderId).map(PaymentView::of).orElseThrow(() -> notFound(orderId));
    }

    @GetMapping
    @Operation(summary = "The newest payments", description = "Newest first, optionally only those in one status.")
    @ApiResponse(responseCode = "200", description = "The payments, newest first")
    @ApiResponse(responseCode = "400", description = "Unknown status or a limit out of range",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    List<PaymentView> newest(
            @Parameter(description = "Only payments in this status") @RequestParam(required = false)
            PaymentStatus status,
            @Parameter(description = "At most this many (1 to " + MAX_LIMIT + ")")
            @RequestParam(defaultValue = "" + DEFAULT_LIMIT) @Min(1) @Max(MAX_LIMIT) int limit) {
        return payments.findNewest(status, limit).stream().map(PaymentView::of).toList();
    }

    private static ErrorResponseException notFound(String orderId) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "payment-service knows no payment of order " + orderId);
        problem.setTitle("Payment not found");
        return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
    }
}
