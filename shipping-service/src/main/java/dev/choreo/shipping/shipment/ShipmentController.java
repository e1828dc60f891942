package dev.choreo.shipping.shipment;

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
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Read side of the shipments. Errors are RFC 9457 problem details. */
@RestController
@RequestMapping(path = "/shipments", produces = "application/json")
@Tag(name = "Shipments", description = "Shipments of paid orders, one per order")
class ShipmentController {

    /** Order ids as the suite mints them ({@code ord-<uuid>}), and anything similar up to the column's size. */
    static final String ORDER_ID = "[A-Za-z0-9][A-Za-z0-9._:-]{0,99}";

    private final ShipmentRepository shipments;

    ShipmentController(ShipmentRepository shipments) {
        this.shipments = shipments;
    }

    @GetMapping("/{orderId}")
    @Operation(summary = "The shipment of one order")
    @ApiResponse(responseCode = "200", description = "the order's shipment")
    @ApiResponse(responseCode = "400", description = "malformed order id",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "shipping has seen no event of this order",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    ShipmentView shipment(@PathVariable @Pattern(regexp = ORDER_ID) String orderId) {
        return shipments.find(orderId).map(ShipmentView::of)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                        "No shipment for order " + orderId));
    }

    @GetMapping
    @Operation(summary = "The most recently changed shipments, newest first")
    @ApiResponse(responseCode = "200", description = "up to limit shipments")
    @ApiResponse(responseCode = "400", description = "limit out of range",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    List<ShipmentView> shipments(
            @Parameter(description = "how many shipments, 1 to 100") @RequestParam(defaultValue = "20") @Min(1)
            @Max(100) int limit) {
        return shipments.latest(limit).stream().map(ShipmentView::of).toList();
    }
}
