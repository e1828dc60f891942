package dev.choreo.inventory.reservation;

import dev.choreo.inventory.web.Identifiers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The reservation inventory holds (or held, or refused) for an order. */
@RestController
@RequestMapping(path = "/reservations", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Reservations", description = "Stock held for orders")
class ReservationController {

    private final ReservationRepository reservations;

    ReservationController(ReservationRepository reservations) {
        this.reservations = reservations;
    }

    @GetMapping("/{orderId}")
    @Operation(summary = "The reservation of an order, with its lines and status")
    @ApiResponse(responseCode = "200", description = "the reservation")
    @ApiResponse(responseCode = "400", description = "the order id is not well-formed",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "inventory has not seen this order",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    ReservationView reservation(@Parameter(description = "the order's id") @PathVariable
            @Pattern(regexp = Identifiers.ORDER_ID, message = Identifiers.ORDER_ID_MESSAGE) String orderId) {
        return reservations.find(orderId).map(ReservationView::of).orElseThrow(
                () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No reservation for order '" + orderId + "'"));
    }

    /** A reservation as the API shows it. */
    record ReservationView(
            String orderId,
            UUID reservationId,
            @Schema(description = "RESERVED, RELEASED, SHIPPED, REJECTED, or CANCELLED when the order's "
                    + "cancellation arrived before the order") ReservationStatus status,
            @Schema(description = "why it was rejected, released or cancelled") String reason,
            String correlationId,
            @Schema(description = "the order's lines merged per SKU") List<LineView> lines,
            @Schema(description = "the SKUs that were short or unknown (REJECTED only)") List<String> unavailableSkus,
            Instant createdAt,
            Instant updatedAt) {

        static ReservationView of(Reservation r) {
            return new ReservationView(r.orderId(), r.reservationId(), r.status(), r.reason(), r.correlationId(),
                    r.lines().stream().map(l -> new LineView(l.sku(), l.quantity())).toList(), r.unavailableSkus(),
                    r.createdAt(), r.updatedAt());
        }
    }

    record LineView(String sku, long quantity) {
    }
}
