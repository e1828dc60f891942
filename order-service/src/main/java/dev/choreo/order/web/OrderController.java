package dev.choreo.order.web;

import dev.choreo.order.OrderProperties;
import dev.choreo.order.orders.CancellationOutcome;
import dev.choreo.order.orders.OrderCancelling;
import dev.choreo.order.orders.OrderPlacing;
import dev.choreo.order.orders.OrderStatus;
import dev.choreo.order.orders.OrderSummary;
import dev.choreo.order.orders.OrderView;
import dev.choreo.order.orders.Orders;
import dev.choreo.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The orders API. Every invalid request is answered with RFC 9457 problem details (see messaging-starter's
 * {@link dev.choreo.messaging.web.ProblemDetailsHandler} and {@link UnpricedOrderProblems}) and changes nothing.
 * A customer (the caller's name is their customer id) places, reads, lists and cancels only their own orders; an
 * operator every order ({@link OrderEndpointAccess}). Another customer's order is answered as not found, so
 * order ids cannot be probed.
 */
@RestController
@RequestMapping(path = "/orders", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "orders", description = "Place, follow and cancel orders")
class OrderController {

    static final String ORDER_ID = "[A-Za-z0-9][A-Za-z0-9_-]*";
    private static final String ORDER_ID_MESSAGE = "must be an order id such as ord-0b5e7f7e-...";

    private final OrderPlacing placing;
    private final OrderCancelling cancelling;
    private final Orders orders;
    private final OrderProperties properties;

    OrderController(OrderPlacing placing, OrderCancelling cancelling, Orders orders, OrderProperties properties) {
        this.placing = placing;
        this.cancelling = cancelling;
        this.orders = orders;
        this.properties = properties;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Place an order", description = """
            Prices the lines from the catalogue, stores the order PLACED and publishes OrderPlaced (which starts \
            the process and mints its correlation id) in one transaction.""")
    @ApiResponse(responseCode = "201", description = "Placed; Location names the order")
    @ApiResponse(responseCode = "400", description = "Invalid request; `errors` names each field and why. Card "
            + "details (`cardNumber`, `card`, `payment.cardNumber` ...) are refused: send `paymentToken`",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "413", description = "Body larger than choreo.security.max-request-size",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "415", description = "Not application/json",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "422", description = "Unknown SKUs or an order that cannot be priced",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "403", description = "A customer placing an order for another customer",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    ResponseEntity<OrderView> place(@RequestBody @Valid PlaceOrderRequest request) {
        Caller caller = Caller.current();
        if (!caller.mayActFor(request.customerId())) {
            throw forbidden("A customer places orders only for themselves: customerId must be " + caller.name());
        }
        OrderView order = placing.place(request.toCommand());
        return ResponseEntity.created(URI.create("/orders/" + order.orderId())).body(order);
    }

    @GetMapping("/{orderId}")
    @Operation(summary = "An order with its status, lines, total and the history of its process")
    @ApiResponse(responseCode = "200", description = "The order")
    @ApiResponse(responseCode = "404", description = "No such order",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    OrderView get(@PathVariable @Size(max = 64) @Pattern(regexp = ORDER_ID, message = ORDER_ID_MESSAGE)
            String orderId) {
        return visible(orderId).orElseThrow(() -> notFound(orderId));
    }

    @GetMapping
    @Operation(summary = "The newest orders, optionally only those in one status or of one customer",
            description = "A customer sees only their own orders; an operator everyone's.")
    @ApiResponse(responseCode = "403", description = "A customer asking for another customer's orders",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    List<OrderSummary> list(
            @RequestParam(required = false) @Parameter(description = "only orders in this status") OrderStatus status,
            @RequestParam(required = false) @Size(min = 1, max = 64)
            @Parameter(description = "only this customer's orders") String customerId,
            @RequestParam(defaultValue = "20") @Min(1) @Max(200)
            @Parameter(schema = @Schema(minimum = "1", maximum = "200", defaultValue = "20")) int limit) {
        Caller caller = Caller.current();
        if (!caller.operator()) {
            if (customerId != null && !customerId.equals(caller.name())) {
                throw forbidden("A customer lists only their own orders");
            }
            customerId = caller.name();
        }
        return orders.list(Optional.ofNullable(status), Optional.ofNullable(customerId), limit);
    }

    @PostMapping("/{orderId}/cancel")
    @Operation(summary = "Cancel an order still in flight (PLACED, RESERVED or PAID)", description = """
            Marks the order and publishes OrderCancelled in one transaction; the other services compensate and \
            the order becomes CANCELLED when its stock is released. The body is optional.""")
    @ApiResponse(responseCode = "202", description = "Cancellation under way; the order as it is now")
    @ApiResponse(responseCode = "404", description = "No such order",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "409", description = "Shipped, ended or already being cancelled",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    ResponseEntity<OrderView> cancel(
            @PathVariable @Size(max = 64) @Pattern(regexp = ORDER_ID, message = ORDER_ID_MESSAGE) String orderId,
            @RequestBody(required = false) @Valid CancelOrderRequest request) {
        String reason = request == null || request.reason() == null || request.reason().isBlank()
                ? properties.defaultCancellationReason()
                : request.reason().strip();
        if (visible(orderId).isEmpty()) {
            throw notFound(orderId);
        }
        CancellationOutcome outcome = cancelling.cancelByCustomer(orderId, reason);
        if (outcome instanceof CancellationOutcome.Requested requested) {
            return ResponseEntity.accepted().body(requested.order());
        }
        if (outcome instanceof CancellationOutcome.Refused refused) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                    "Order " + orderId + " cannot be cancelled: " + refused.reason());
            problem.setTitle("Order cannot be cancelled");
            problem.setProperty("orderStatus", refused.status());
            throw new ErrorResponseException(HttpStatus.CONFLICT, problem, null);
        }
        throw notFound(orderId);
    }

    /** The order, if the caller may see it. */
    private Optional<OrderView> visible(String orderId) {
        Caller caller = Caller.current();
        return orders.find(orderId).filter(order -> caller.mayActFor(order.customerId()));
    }

    private static ErrorResponseException forbidden(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, detail);
        problem.setTitle("Forbidden");
        return new ErrorResponseException(HttpStatus.FORBIDDEN, problem, null);
    }

    private static ErrorResponseException notFound(String orderId) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No order " + orderId);
        problem.setTitle("Order not found");
        return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
    }
}
