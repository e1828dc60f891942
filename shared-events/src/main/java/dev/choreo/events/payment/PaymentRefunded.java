package dev.choreo.events.payment;

import dev.choreo.events.Limits;
import dev.choreo.events.Require;
import java.math.BigDecimal;

/** Compensation: a charge of a failed or cancelled order was paid back. */
public record PaymentRefunded(String orderId, String paymentId, BigDecimal amount, String currency, String reason)
        implements PaymentEvent {

    public PaymentRefunded {
        Require.text(orderId, "orderId", Limits.ID);
        Require.text(paymentId, "paymentId", Limits.ID);
        Require.money(amount, "amount");
        Require.text(currency, "currency", Limits.CURRENCY_CODE);
        Require.text(reason, "reason", Limits.REASON);
    }
}
