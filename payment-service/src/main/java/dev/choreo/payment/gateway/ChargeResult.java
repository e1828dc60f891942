package dev.choreo.payment.gateway;

/** The provider's answer to a charge. */
public sealed interface ChargeResult {

    /**
     * The money was taken; {@code reference} identifies the charge at the provider (needed to refund it), and
     * {@code cardLast4} are the last digits of the card behind the token, as providers tell them for receipts.
     */
    record Charged(String reference, String cardLast4) implements ChargeResult {
    }

    /** Nothing was taken, for {@code reason}. */
    record Declined(String reason) implements ChargeResult {
    }
}
