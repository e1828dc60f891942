package dev.choreo.payment.gateway;

import dev.choreo.messaging.inbox.TransientFailure;

/**
 * The provider could not be reached, did not answer or said "try again later": the call may be repeated (it is
 * idempotent), and will pass once the provider is back. A {@link TransientFailure}: the event whose handler met it
 * is retried, its partitions paused, until the call passes; it is never dead-lettered.
 */
public class PaymentGatewayException extends RuntimeException implements TransientFailure {

    public PaymentGatewayException(String message, Throwable cause) {
        super(message, cause);
    }
}
