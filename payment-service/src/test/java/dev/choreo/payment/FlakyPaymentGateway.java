package dev.choreo.payment;

import dev.choreo.payment.gateway.ChargeRequest;
import dev.choreo.payment.gateway.ChargeResult;
import dev.choreo.payment.gateway.PaymentGateway;
import dev.choreo.payment.gateway.PaymentGatewayException;
import dev.choreo.payment.gateway.RefundRequest;
import dev.choreo.payment.gateway.SimulatedPaymentGateway;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The simulated gateway, except that it can be told to be away for the next N charges of a card: those calls fail
 * with {@link PaymentGatewayException} ("try again later"), the following ones reach the simulated gateway. Every
 * other card goes straight through, so the other tests do not notice it.
 */
class FlakyPaymentGateway implements PaymentGateway {

    /** Not one of the sandbox's cards: the simulated gateway charges it (the tests' decline rate is 0). */
    static final String FLAKY_CARD = "4000000000000119";

    private final PaymentGateway delegate;
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final AtomicInteger failed = new AtomicInteger();

    FlakyPaymentGateway(PaymentGateway delegate) {
        this.delegate = delegate;
    }

    /** The next {@code times} charges of the card fail as if the provider were unreachable. */
    void failNextCharges(String cardNumber, int times) {
        failuresLeft.put(cardNumber, new AtomicInteger(times));
    }

    /** Charges that failed so far. */
    int failedCharges() {
        return failed.get();
    }

    @Override
    public ChargeResult charge(ChargeRequest request) {
        AtomicInteger left = failuresLeft.get(request.cardNumber());
        if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            failed.incrementAndGet();
            throw new PaymentGatewayException("payment gateway unavailable (simulated): try again later", null);
        }
        return delegate.charge(request);
    }

    @Override
    public String refund(RefundRequest request) {
        return delegate.refund(request);
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Configuration {

        @Bean
        @Primary
        FlakyPaymentGateway flakyPaymentGateway(SimulatedPaymentGateway simulated) {
            return new FlakyPaymentGateway(simulated);
        }
    }
}
