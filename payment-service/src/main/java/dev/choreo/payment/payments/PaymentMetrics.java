package dev.choreo.payment.payments;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The service's business metrics: {@code choreo_payments_total{outcome}} counts charges, declines and refunds
 * (after their transaction committed, so a rolled-back attempt is not counted), and
 * {@code choreo_payment_gateway_seconds{operation, outcome}} times every call to the payment gateway.
 */
@Component
class PaymentMetrics {

    enum Outcome {
        CHARGED, DECLINED, REFUNDED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);

    PaymentMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Outcome outcome : Outcome.values()) {
            // registered up front, so every outcome is on the dashboard from the start, at 0
            outcomes.put(outcome, Counter.builder("choreo.payments")
                    .description("Payment outcomes: charged, declined and refunded orders")
                    .tag("outcome", outcome.tag())
                    .register(registry));
        }
    }

    /** Counts {@code outcome} once the current transaction has committed. */
    void countAfterCommit(Outcome outcome) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                outcomes.get(outcome).increment();
            }
        });
    }

    /**
     * Times a call to the gateway, tagged with the operation and its outcome ({@code error} if it threw).
     *
     * @param outcomeOf names the outcome of the call's result
     */
    <T> T timeGateway(String operation, Supplier<T> call, Function<T, String> outcomeOf) {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "error";
        try {
            T result = call.get();
            outcome = outcomeOf.apply(result);
            return result;
        } finally {
            sample.stop(Timer.builder("choreo.payment.gateway")
                    .description("Calls to the payment gateway")
                    .tag("operation", operation)
                    .tag("outcome", outcome)
                    .register(registry));
        }
    }
}
