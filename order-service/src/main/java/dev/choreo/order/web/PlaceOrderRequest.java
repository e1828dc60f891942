package dev.choreo.order.web;

import dev.choreo.events.Limits;
import dev.choreo.events.order.PaymentCard;
import dev.choreo.events.order.ShippingAddress;
import dev.choreo.order.orders.PlaceOrder;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * The body of {@code POST /orders}. Prices are not part of it: they come from the catalogue. Unknown JSON
 * properties are ignored. The bounds are the events' ({@link Limits}): what is accepted here fits OrderPlaced and
 * every column downstream.
 */
@NoDuplicateSkus
@Schema(description = "An order to place; prices come from the catalogue, never from the client")
public record PlaceOrderRequest(
        @Schema(example = "c-42")
        @NotBlank @Size(max = Limits.ID) @Pattern(regexp = IDENTIFIER, message = IDENTIFIER_MESSAGE) String customerId,
        @NotNull @Size(min = 1, max = Limits.LINES_PER_ORDER) List<@NotNull @Valid Item> items,
        @NotNull @Valid Payment payment,
        @NotNull @Valid Address shippingAddress) {

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

    /**
     * The card to charge. The demo gateway follows the sandbox convention: 4242424242424242 is charged,
     * 4000000000000002 is declined.
     */
    public record Payment(
            @Schema(example = "4242424242424242") @NotBlank @CardNumber String cardNumber) {
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
                new PaymentCard(payment.cardNumber()),
                new ShippingAddress(shippingAddress.name(), shippingAddress.street(), shippingAddress.city(),
                        shippingAddress.postalCode(), shippingAddress.country()));
    }
}
