package dev.choreo.order.web;

import dev.choreo.events.Limits;
import dev.choreo.events.order.PaymentMethod;
import dev.choreo.events.order.ShippingAddress;
import dev.choreo.order.orders.PlaceOrder;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Null;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * The body of {@code POST /orders}. Prices are not part of it: they come from the catalogue. Unknown JSON
 * properties are ignored, except card details: the API takes a payment provider's token, and a request that still
 * sends a card number ({@code cardNumber}, {@code card}, {@code payment.cardNumber} ...) is refused naming the field,
 * its value unread (issue 15). The bounds are the events' ({@link Limits}): what is accepted here fits OrderPlaced
 * and every column downstream.
 */
@NoDuplicateSkus
@Schema(description = "An order to place; prices come from the catalogue, never from the client")
public record PlaceOrderRequest(
        @Schema(example = "c-42")
        @NotBlank @Size(max = Limits.ID) @Pattern(regexp = IDENTIFIER, message = IDENTIFIER_MESSAGE) String customerId,
        @NotNull @Size(min = 1, max = Limits.LINES_PER_ORDER) List<@NotNull @Valid Item> items,
        @Schema(example = "tok_visa", description = "The payment provider's token for the card, never the card number."
                + " Demo gateway: tok_visa is charged, tok_chargeDeclined declined (see payment-service's README)")
        @NotBlank @Size(max = Limits.PAYMENT_TOKEN) @PaymentToken String paymentToken,
        @NotNull @Valid Address shippingAddress,
        @Schema(hidden = true) @Null(message = CardDetails.REFUSED) CardDetails cardNumber,
        @Schema(hidden = true) @Null(message = CardDetails.REFUSED) CardDetails card,
        @Schema(hidden = true) @Valid CardPayment payment) {

    static final String IDENTIFIER = "[A-Za-z0-9][A-Za-z0-9._:@-]*";
    static final String IDENTIFIER_MESSAGE = "may contain only letters, digits and . _ : @ - (starting with a letter or digit)";
    static final String TEXT = "[^\\p{Cntrl}]*";
    static final String TEXT_MESSAGE = "must not contain control characters";

    /** One line: a SKU of the catalogue, at most once per order. */
    public record Item(
            @Schema(example = "SKU-COFFEE")
            @NotBlank @Size(max = Limits.ID) @Pattern(regexp = IDENTIFIER, message = IDENTIFIER_MESSAGE) String sku,
            @Schema(example = "2") @NotNull @Min(1) @Max(Limits.QUANTITY_PER_LINE) Integer quantity) {
    }

    /** The {@code payment} object of the API before tokens: only there to refuse the card details it held. */
    public record CardPayment(
            @Null(message = CardDetails.REFUSED) CardDetails cardNumber,
            @Null(message = CardDetails.REFUSED) CardDetails card,
            @Null(message = CardDetails.REFUSED) CardDetails number) {
    }

    public record Address(
            @Schema(example = "Ada Lovelace") @NotBlank @Size(max = Limits.NAME)
            @Pattern(regexp = TEXT, message = TEXT_MESSAGE) String name,
            @Schema(example = "Main St 1") @NotBlank @Size(max = Limits.NAME)
            @Pattern(regexp = TEXT, message = TEXT_MESSAGE) String street,
            @Schema(example = "Helsinki") @NotBlank @Size(max = Limits.NAME)
            @Pattern(regexp = TEXT, message = TEXT_MESSAGE) String city,
            @Schema(example = "00100") @NotBlank @Size(max = Limits.POSTAL_CODE)
            @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9 -]*", message = "may contain only letters, digits, spaces and -")
            String postalCode,
            @Schema(example = "FI", description = "ISO 3166-1 alpha-2; the demo does not ship to AQ")
            @NotBlank @CountryCode String country) {
    }

    PlaceOrder toCommand() {
        return new PlaceOrder(customerId,
                items.stream().map(item -> new PlaceOrder.Item(item.sku(), item.quantity())).toList(),
                new PaymentMethod(paymentToken),
                new ShippingAddress(shippingAddress.name(), shippingAddress.street(), shippingAddress.city(),
                        shippingAddress.postalCode(), shippingAddress.country()));
    }
}
