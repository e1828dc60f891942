package dev.choreo.payment.gateway;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A refund of a whole charge.
 *
 * @param idempotencyKey  the same key always gets the same answer: the payment id
 * @param chargeReference the provider's reference of the charge to pay back
 * @param amount          what to pay back, in {@code currency}
 * @param currency        ISO 4217 code
 */
public record RefundRequest(String idempotencyKey, String chargeReference, BigDecimal amount, String currency) {

    public RefundRequest {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(chargeReference, "chargeReference");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
    }
}
