package dev.choreo.payment.gateway;

/**
 * The payment provider, as payment-service sees it. Calls are idempotent on the request's idempotency key (as
 * real providers offer): a call repeated after a crash between the provider's answer and the local commit gets the
 * first call's answer back instead of charging or refunding again.
 */
public interface PaymentGateway {

    /**
     * Charges the card behind a payment token.
     *
     * @return {@link ChargeResult.Charged} or {@link ChargeResult.Declined}; a decline is an answer, not an error
     * @throws PaymentGatewayException when the provider could not be asked (worth retrying)
     */
    ChargeResult charge(ChargeRequest request);

    /**
     * Pays a charge back in full.
     *
     * @return the provider's reference of the refund
     * @throws PaymentGatewayException when the provider could not be asked (worth retrying)
     */
    String refund(RefundRequest request);
}
