package dev.choreo.payment.payments;

import dev.choreo.events.payment.OrderPayed;
import dev.choreo.events.payment.PaymentDeclined;
import dev.choreo.events.payment.PaymentRefunded;
import dev.choreo.messaging.effects.PendingWorkRunner;
import dev.choreo.messaging.outbox.EventPublisher;
import dev.choreo.messaging.tracing.TraceContext;
import dev.choreo.payment.PaymentProperties;
import dev.choreo.payment.gateway.ChargeRequest;
import dev.choreo.payment.gateway.ChargeResult;
import dev.choreo.payment.gateway.PaymentGateway;
import dev.choreo.payment.gateway.RefundRequest;
import dev.choreo.payment.payments.PaymentMetrics.Outcome;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Calls the payment gateway for the charges and refunds that {@link Payments} decided, after their transaction
 * committed, and records each answer in a short transaction of its own: the payment's new state and the event that
 * announces it ({@code OrderPayed}, {@code PaymentDeclined}, {@code PaymentRefunded}), caused by the event that
 * decided the call. No row lock and no pooled connection is held while the gateway thinks.
 *
 * <p>A crash between the gateway's answer and its record leaves the payment CHARGING or REFUNDING: the call is made
 * again with the same idempotency key (the payment id) and the gateway answers it with its first answer, so the
 * customer is charged once. Two instances may both call for the same payment; the key makes that safe too, and
 * only the first answer recorded counts (the record is a guarded transition).
 */
@Component
class GatewayCalls implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(GatewayCalls.class);

    /** Calls started per round; they run in parallel, up to {@code max-concurrent-calls} at a time. */
    private static final int ROUND = 64;
    private static final Duration FIRST_BACK_OFF = Duration.ofMillis(200);
    private static final Duration MAX_BACK_OFF = Duration.ofSeconds(30);

    private final PaymentRepository payments;
    private final PaymentGateway gateway;
    private final EventPublisher events;
    private final PaymentMetrics metrics;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final ExecutorService calls;
    /** Per order whose payment waits for the gateway: a call in flight, or the failures so far and the next try. */
    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();

    GatewayCalls(PaymentRepository payments, PaymentGateway gateway, EventPublisher events, PaymentMetrics metrics,
            TransactionTemplate transaction, PaymentProperties properties, Clock clock) {
        this.payments = payments;
        this.gateway = gateway;
        this.events = events;
        this.metrics = metrics;
        this.transaction = transaction;
        this.clock = clock;
        int threads = properties.gateway().maxConcurrentCalls();
        AtomicInteger threadNumber = new AtomicInteger();
        this.calls = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "payment-gateway-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts a gateway call for each due payment that has none in flight and is not backing off after a failure.
     * Each call records its own answer as soon as it comes, so one slow call holds back no other payment.
     *
     * @return 0: the calls complete on their own; the runner comes back when woken or at its next sweep
     */
    int callDue() {
        List<Payment> due = payments.awaitingGateway(ROUND + attempts.size());
        long now = System.nanoTime();
        int started = 0;
        for (Payment payment : due) {
            Attempt previous = attempts.get(payment.orderId());
            if (started == ROUND || previous != null && (previous.inFlight() || previous.retryAt() - now > 0)) {
                continue;
            }
            int failures = previous == null ? 0 : previous.failures();
            attempts.put(payment.orderId(), new Attempt(true, failures, 0));
            calls.execute(() -> callAndRecord(payment, failures));
            started++;
        }
        return 0;
    }

    private void callAndRecord(Payment payment, int failuresBefore) {
        try {
            Answer answer = call(payment);
            transaction.executeWithoutResult(status -> record(answer));
            attempts.remove(payment.orderId());
        } catch (RuntimeException e) {
            int failures = failuresBefore + 1;
            Duration backOff = failures >= 8 ? MAX_BACK_OFF : FIRST_BACK_OFF.multipliedBy(1L << (failures - 1));
            attempts.put(payment.orderId(), new Attempt(false, failures, System.nanoTime() + backOff.toNanos()));
            // one line per payment when its trouble starts, not one per retry through a long outage
            if (failures == 1) {
                log.warn("Payment {} of order {}: the gateway call failed, kept {} and tried again: {}",
                        payment.paymentId(), payment.orderId(), payment.status(), e.toString());
            } else {
                log.debug("Payment {} of order {}: the gateway call failed {} times in a row, next in {} ms: {}",
                        payment.paymentId(), payment.orderId(), failures, backOff.toMillis(), e.toString());
            }
        }
    }

    private Answer call(Payment payment) {
        try (Scope trace = TraceContext.restore(payment.gatewayTraceparent())) {
            if (payment.status() == PaymentStatus.CHARGING) {
                String token = payments.paymentToken(payment.orderId()).orElseThrow(() -> new IllegalStateException(
                        "payment " + payment.paymentId() + " waits for its charge but holds no payment token"));
                ChargeResult result = metrics.timeGateway("charge",
                        () -> gateway.charge(new ChargeRequest(payment.paymentId(), payment.amount(),
                                payment.currency(), token)),
                        r -> r instanceof ChargeResult.Charged ? "charged" : "declined");
                return new Answer(payment, result, null);
            }
            String refundReference = metrics.timeGateway("refund",
                    () -> gateway.refund(new RefundRequest(payment.paymentId(), payment.chargeReference(),
                            payment.amount(), payment.currency())),
                    r -> "refunded");
            return new Answer(payment, null, refundReference);
        }
    }

    /** Records one answer, unless another instance recorded it first (the payment is no longer waiting for it). */
    private void record(Answer answer) {
        Payment payment = answer.payment();
        String orderId = payment.orderId();
        PaymentStatus now = payments.findForUpdate(orderId).map(Payment::status).orElse(null);
        if (now != payment.status()) {
            log.debug("Payment {} of order {} is {} already: the gateway's answer was recorded before",
                    payment.paymentId(), orderId, now);
            return;
        }
        try (Scope trace = TraceContext.restore(payment.gatewayTraceparent())) {
            if (answer.charge() instanceof ChargeResult.Charged charged) {
                payments.markCharged(orderId, charged.reference(), charged.cardLast4(), clock.instant());
                events.reactTo(payment.correlationId(), payment.gatewayCause(), new OrderPayed(orderId,
                        payment.paymentId(), payment.amount(), payment.currency(), charged.cardLast4()));
                metrics.countAfterCommit(Outcome.CHARGED);
                log.debug("Charged order {}: payment {} of {} {} on card ****{}", orderId, payment.paymentId(),
                        payment.amount(), payment.currency(), charged.cardLast4());
            } else if (answer.charge() instanceof ChargeResult.Declined declined) {
                payments.markDeclined(orderId, declined.reason(), clock.instant());
                events.reactTo(payment.correlationId(), payment.gatewayCause(), new PaymentDeclined(orderId,
                        payment.paymentId(), payment.amount(), payment.currency(), declined.reason()));
                metrics.countAfterCommit(Outcome.DECLINED);
                log.debug("Declined order {}: payment {}: {}", orderId, payment.paymentId(), declined.reason());
            } else {
                payments.markRefunded(orderId, answer.refundReference(), clock.instant());
                events.reactTo(payment.correlationId(), payment.gatewayCause(), new PaymentRefunded(orderId,
                        payment.paymentId(), payment.amount(), payment.currency(), payment.reason()));
                metrics.countAfterCommit(Outcome.REFUNDED);
                log.debug("Refunded order {}: payment {} of {} {} ({})", orderId, payment.paymentId(),
                        payment.amount(), payment.currency(), payment.reason());
            }
        }
    }

    @Override
    public void destroy() {
        calls.shutdownNow();
    }

    /** A payment's call: in flight, or failed {@code failures} times in a row and due again at {@code retryAt}. */
    private record Attempt(boolean inFlight, int failures, long retryAt) {
    }

    /** The gateway's answer to one payment's call: a charge result, or a refund's reference. */
    private record Answer(Payment payment, ChargeResult charge, String refundReference) {
    }

    @Configuration(proxyBeanMethods = false)
    static class Runner {

        /**
         * Woken after each commit that decided a call; sweeps every second for calls that failed, were left by a
         * crash or by another instance.
         */
        @Bean
        PendingWorkRunner gatewayCallRunner(GatewayCalls gatewayCalls) {
            return new PendingWorkRunner("payment-gateway-calls", Duration.ofSeconds(1), gatewayCalls::callDue);
        }
    }
}
