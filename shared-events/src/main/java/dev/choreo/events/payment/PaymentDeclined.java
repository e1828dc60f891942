package dev.choreo.events.payment;

import dev.choreo.events.Require;
import java.math.BigDecimal;

/** The gateway declined the charge; nothing was taken. */
public record PaymentDeclined(String orderId, String paymentId, BigDecimal amount, String currency, String reason)
        implements PaymentEvent {

    public PaymentDeclined {
        Require.text(orderId, "orderId");
        Require.text(paymentId, "paymentId");
        Require.nonNegative(amount, "amount");
        Require.text(currency, "currency");
        Require.text(reason, "reason");
    }
}
