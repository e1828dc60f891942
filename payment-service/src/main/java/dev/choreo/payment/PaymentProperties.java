package dev.choreo.payment;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of payment-service, under {@code choreo.payment}.
 *
 * @param gateway the simulated payment gateway
 */
@Validated
@ConfigurationProperties("choreo.payment")
public record PaymentProperties(@Valid @NotNull @DefaultValue Gateway gateway) {

    /**
     * The simulated gateway follows the payment providers' sandbox convention: token {@code tok_visa} is always
     * charged and {@code tok_chargeDeclined} always declined; the other test tokens ({@code tok_mastercard},
     * {@code tok_amex}) are declined at random with {@code declineRate}.
     *
     * @param declineRate share of the other test tokens' charges that are declined, from 0.0 (none) to 1.0 (all)
     * @param latency     how long each call to the gateway takes, to simulate a remote provider (at most 30s)
     * @param maxConcurrentCalls how many calls to the gateway one instance has in flight at most (1 to 64)
     */
    public record Gateway(
            @DefaultValue("0.0") @DecimalMin("0.0") @DecimalMax("1.0") double declineRate,
            @DefaultValue("0ms") @NotNull @DurationMin(millis = 0) @DurationMax(seconds = 30) Duration latency,
            @DefaultValue("8") @Min(1) @Max(64) int maxConcurrentCalls) {
    }
}
