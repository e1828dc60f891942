package dev.choreo.events.payment;

import dev.choreo.events.Limits;
import dev.choreo.events.Require;
import java.math.BigDecimal;

/** The gateway declined the charge; nothing was taken. */
public record PaymentDeclined(String orderId, String paymentId, BigDecimal amount, String currency, String reason)
        implements PaymentEvent {

    public PaymentDeclined {
        Require.text(orderId, "orderId", Limits.ID);
        Require.text(paymentId, "paymentId", Limits.ID);
        Require.money(amount, "amount");
        Require.text(currency, "currency", Limits.CURRENCY_CODE);
        Require.text(reason, "reason", Limits.REASON);
    }
}
