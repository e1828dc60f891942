package dev.choreo.payment.gateway;

/** The provider could not be reached or did not answer; the call may be repeated (it is idempotent). */
public class PaymentGatewayException extends RuntimeException {

    public PaymentGatewayException(String message, Throwable cause) {
        super(message, cause);
    }
}
