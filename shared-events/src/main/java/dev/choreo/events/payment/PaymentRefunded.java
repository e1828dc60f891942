package dev.choreo.events.payment;

import dev.choreo.events.Require;
import java.math.BigDecimal;

/** Compensation: a charge of a failed or cancelled order was paid back. */
public record PaymentRefunded(String orderId, String paymentId, BigDecimal amount, String currency, String reason)
        implements PaymentEvent {

    public PaymentRefunded {
        Require.text(orderId, "orderId");
        Require.text(paymentId, "paymentId");
        Require.nonNegative(amount, "amount");
        Require.text(currency, "currency");
        Require.text(reason, "reason");
    }
}
