package dev.choreo.payment.gateway;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A charge to make.
 *
 * @param idempotencyKey the same key always gets the same answer: the payment id
 * @param amount         what to take, in {@code currency}
 * @param currency       ISO 4217 code
 * @param cardNumber     the card to charge; never logged, {@link #toString()} shows the last 4 digits only
 */
public record ChargeRequest(String idempotencyKey, BigDecimal amount, String currency, String cardNumber) {

    public ChargeRequest {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(cardNumber, "cardNumber");
    }

    @Override
    public String toString() {
        return "ChargeRequest[" + idempotencyKey + ", " + amount + " " + currency + ", card ****"
                + cardNumber.substring(Math.max(0, cardNumber.length() - 4)) + "]";
    }
}
