package dev.choreo.events.order;

import dev.choreo.events.Limits;
import dev.choreo.events.Require;

/**
 * The card to charge. The suite runs against a simulated gateway that follows the payment providers' sandbox
 * convention, so the event carries the sandbox card number; a production system would carry a token from its
 * payment provider here instead.
 */
public record PaymentCard(String cardNumber) {

    public PaymentCard {
        Require.text(cardNumber, "cardNumber", Limits.CARD_NUMBER);
    }

    public String last4() {
        return cardNumber.substring(Math.max(0, cardNumber.length() - 4));
    }

    @Override
    public String toString() {
        return "PaymentCard[****" + last4() + "]";
    }
}
