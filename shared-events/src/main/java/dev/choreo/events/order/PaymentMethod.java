package dev.choreo.events.order;

import dev.choreo.events.Limits;
import dev.choreo.events.Require;

/**
 * How the order is paid: the payment provider's token for the customer's card (as {@code tok_visa}), obtained by
 * the client from the provider. No card number travels in any event, is stored or is logged (issue 15); only the
 * provider can turn the token into a charge.
 */
public record PaymentMethod(String token) {

    public PaymentMethod {
        Require.text(token, "token", Limits.PAYMENT_TOKEN);
        if (!token.matches(Limits.PAYMENT_TOKEN_PATTERN)) {
            throw new IllegalArgumentException("token must be a payment provider's token ("
                    + Limits.PAYMENT_TOKEN_PATTERN + ")");
        }
    }
}
