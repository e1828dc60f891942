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
 * The simulated gateway, except that it can be told, per payment token, to be away for the next N charges (they
 * fail with {@link PaymentGatewayException}, "try again later"), to lose the answers of the next N charges it made,
 * or to hold charges until released; and it counts calls made from inside a database transaction. Every other
 * token goes straight through, so the other tests do not notice it. A test gives each behaviour a token of its own
 * ({@value #TEST_TOKEN_PREFIX}...), which the sandbox is asked to charge as {@value #SANDBOX_STAND_IN}.
 */
class FlakyPaymentGateway implements PaymentGateway {

    static final String TEST_TOKEN_PREFIX = "tok_test_";
    /** One of the sandbox's test tokens that it charges (the tests' decline rate is 0), for the card ending 4444. */
    static final String SANDBOX_STAND_IN = "tok_mastercard";
    static final String FLAKY_TOKEN = TEST_TOKEN_PREFIX + "flaky";

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

    /** The next {@code times} charges of the token fail as if the provider were unreachable. */
    void failNextCharges(String token, int times) {
        failuresLeft.put(token, new AtomicInteger(times));
    }

    /**
     * The next {@code times} charges of the token reach the provider, which charges, but the answer is lost on the
     * way back (the call fails as if the connection dropped): what a crash between the answer and its record does.
     */
    void loseNextAnswers(String token, int times) {
        answersToLose.put(token, new AtomicInteger(times));
    }

    /** The answers lost so far, by idempotency key. */
    Map<String, ChargeResult> lostAnswers() {
        return lostAnswers;
    }

    /** Charges of the token wait, as for a provider that thinks for a long time, until the latch is counted down. */
    CountDownLatch holdCharges(String token) {
        return held.computeIfAbsent(token, t -> new CountDownLatch(1));
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
        CountDownLatch hold = held.get(request.paymentToken());
        if (hold != null) {
            try {
                hold.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PaymentGatewayException("interrupted", e);
            }
        }
        AtomicInteger toLose = answersToLose.get(request.paymentToken());
        if (toLose != null && toLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            lostAnswers.put(request.idempotencyKey(), delegate.charge(sandbox(request)));
            failed.incrementAndGet();
            throw new PaymentGatewayException("connection reset while reading the gateway's answer (simulated)",
                    null);
        }
        AtomicInteger left = failuresLeft.get(request.paymentToken());
        if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            failed.incrementAndGet();
            throw new PaymentGatewayException("payment gateway unavailable (simulated): try again later", null);
        }
        return delegate.charge(sandbox(request));
    }

    private static ChargeRequest sandbox(ChargeRequest request) {
        return request.paymentToken().startsWith(TEST_TOKEN_PREFIX)
                ? new ChargeRequest(request.idempotencyKey(), request.amount(), request.currency(), SANDBOX_STAND_IN)
                : request;
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
