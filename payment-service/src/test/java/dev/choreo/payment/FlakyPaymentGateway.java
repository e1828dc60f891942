package dev.choreo.payment;

import dev.choreo.payment.gateway.ChargeRequest;
import dev.choreo.payment.gateway.ChargeResult;
import dev.choreo.payment.gateway.PaymentGateway;
import dev.choreo.payment.gateway.PaymentGatewayException;
import dev.choreo.payment.gateway.RefundRequest;
import dev.choreo.payment.gateway.SimulatedPaymentGateway;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The simulated gateway, except that it can be told, per card, to be away for the next N charges (they fail with
 * {@link PaymentGatewayException}, "try again later"), to lose the answers of the next N charges it made, or to
 * hold charges until released; and it counts calls made from inside a database transaction. Every other card goes
 * straight through, so the other tests do not notice it.
 */
class FlakyPaymentGateway implements PaymentGateway {

    /** Not one of the sandbox's cards: the simulated gateway charges it (the tests' decline rate is 0). */
    static final String FLAKY_CARD = "4000000000000119";

    private final PaymentGateway delegate;
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> answersToLose = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
    private final Map<String, ChargeResult> lostAnswers = new ConcurrentHashMap<>();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger callsInsideATransaction = new AtomicInteger();

    FlakyPaymentGateway(PaymentGateway delegate) {
        this.delegate = delegate;
    }

    /** The next {@code times} charges of the card fail as if the provider were unreachable. */
    void failNextCharges(String cardNumber, int times) {
        failuresLeft.put(cardNumber, new AtomicInteger(times));
    }

    /**
     * The next {@code times} charges of the card reach the provider, which charges, but the answer is lost on the
     * way back (the call fails as if the connection dropped): what a crash between the answer and its record does.
     */
    void loseNextAnswers(String cardNumber, int times) {
        answersToLose.put(cardNumber, new AtomicInteger(times));
    }

    /** The answers lost so far, by idempotency key. */
    Map<String, ChargeResult> lostAnswers() {
        return lostAnswers;
    }

    /** Charges of the card wait, as for a provider that thinks for a long time, until the latch is counted down. */
    CountDownLatch holdCharges(String cardNumber) {
        return held.computeIfAbsent(cardNumber, card -> new CountDownLatch(1));
    }

    /** Calls made while the calling thread was inside a database transaction (holding its locks). */
    int callsInsideATransaction() {
        return callsInsideATransaction.get();
    }

    /** Charges that failed so far. */
    int failedCharges() {
        return failed.get();
    }

    @Override
    public ChargeResult charge(ChargeRequest request) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            callsInsideATransaction.incrementAndGet();
        }
        CountDownLatch hold = held.get(request.cardNumber());
        if (hold != null) {
            try {
                hold.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PaymentGatewayException("interrupted", e);
            }
        }
        AtomicInteger toLose = answersToLose.get(request.cardNumber());
        if (toLose != null && toLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            lostAnswers.put(request.idempotencyKey(), delegate.charge(request));
            failed.incrementAndGet();
            throw new PaymentGatewayException("connection reset while reading the gateway's answer (simulated)",
                    null);
        }
        AtomicInteger left = failuresLeft.get(request.cardNumber());
        if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            failed.incrementAndGet();
            throw new PaymentGatewayException("payment gateway unavailable (simulated): try again later", null);
        }
        return delegate.charge(request);
    }

    @Override
    public String refund(RefundRequest request) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            callsInsideATransaction.incrementAndGet();
        }
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
