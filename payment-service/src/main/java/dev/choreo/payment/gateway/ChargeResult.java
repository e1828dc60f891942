package dev.choreo.payment.gateway;

/** The provider's answer to a charge. */
public sealed interface ChargeResult {

    /** The money was taken; {@code reference} identifies the charge at the provider (needed to refund it). */
    record Charged(String reference) implements ChargeResult {
    }

    /** Nothing was taken, for {@code reason}. */
    record Declined(String reason) implements ChargeResult {
    }
}
