package dev.choreo.payment.gateway;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A charge to make.
 *
 * @param idempotencyKey the same key always gets the same answer: the payment id
 * @param amount         what to take, in {@code currency}
 * @param currency       ISO 4217 code
 * @param paymentToken   the payment provider's token for the card to charge (the suite never sees a card number)
 */
public record ChargeRequest(String idempotencyKey, BigDecimal amount, String currency, String paymentToken) {

    public ChargeRequest {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(paymentToken, "paymentToken");
    }
}
