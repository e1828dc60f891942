package dev.choreo.events.payment;

import dev.choreo.events.Limits;
import dev.choreo.events.Require;
import java.math.BigDecimal;

/** The order's total was charged to the customer's card. (The name is the product brief's; keep it.) */
public record OrderPayed(String orderId, String paymentId, BigDecimal amount, String currency, String cardLast4)
        implements PaymentEvent {

    public OrderPayed {
        Require.text(orderId, "orderId", Limits.ID);
        Require.text(paymentId, "paymentId", Limits.ID);
        Require.money(amount, "amount");
        Require.text(currency, "currency", Limits.CURRENCY_CODE);
        Require.text(cardLast4, "cardLast4", Limits.CARD_LAST_DIGITS);
    }
}
