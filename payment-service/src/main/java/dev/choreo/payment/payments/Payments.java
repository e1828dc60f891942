package dev.choreo.payment.payments;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Limits;
import dev.choreo.events.Texts;
import dev.choreo.events.inventory.InventoryUpdated;
import dev.choreo.events.order.OrderCancelled;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.payment.PaymentDeclined;
import dev.choreo.events.shipping.ShippingFailed;
import dev.choreo.messaging.effects.PendingWorkRunner;
import dev.choreo.messaging.inbox.TransientFailure;
import dev.choreo.messaging.outbox.EventPublisher;
import dev.choreo.messaging.tracing.TraceContext;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * payment-service's reactions. Each runs inside the transaction of the event it handles (see
 * {@link PaymentReactions}), with the order's payment row locked: the state change, the published event (outbox)
 * and the record of the delivery commit together. So an order is charged at most once and refunded at most once,
 * however often and in whatever order its events arrive. The gateway itself is called by {@link GatewayCalls}
 * after the commit, never while the row is locked.
 */
@Service
class Payments {

    private static final Logger log = LoggerFactory.getLogger(Payments.class);

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final PaymentRepository payments;
    private final PendingWorkRunner gatewayCalls;
    private final EventPublisher events;
    private final Clock clock;

    Payments(PaymentRepository payments, PendingWorkRunner gatewayCalls, EventPublisher events, Clock clock) {
        this.payments = payments;
        this.gatewayCalls = gatewayCalls;
        this.events = events;
        this.clock = clock;
    }

    /**
     * OrderPlaced: keep the order's facts; charge now if inventory's go-ahead came first. If its cancellation came
     * first, the void is announced now that the order is known ({@code PaymentDeclined}): inventory releases what it
     * holds, or nothing, and that release ends the process as cancelled (docs/choreography.md).
     */
    void recordOrder(EventEnvelope<?> cause, OrderPlaced order) {
        requireIsoCurrency(order);
        Payment payment = payments.lockOrCreate(order.orderId(), clock.instant());
        if (payment.orderKnown()) {
            log.debug("Order {} is already known to payment {} ({}); ignoring the repeated OrderPlaced",
                    order.orderId(), payment.paymentId(), payment.status());
            return;
        }
        boolean chargeable = payment.status() == PaymentStatus.PENDING;
        // the token is kept only while there is something to charge
        payments.recordOrder(order.orderId(), order.customerId(), order.total(), order.currency(),
                chargeable ? order.payment().token() : null, clock.instant());
        if (payment.status() == PaymentStatus.CANCELLED) {
            events.react(cause, new PaymentDeclined(order.orderId(), payment.paymentId(), order.total(),
                    order.currency(), Texts.abbreviate("order cancelled: " + payment.reason(), Limits.REASON)));
            log.debug("Order {} was cancelled before it was placed here: payment {} voided, charges nothing",
                    order.orderId(), payment.paymentId());
        } else if (!chargeable) {
            log.debug("Order {} was {} before it was placed here: payment {} charges nothing", order.orderId(),
                    payment.status(), payment.paymentId());
        } else if (payment.goAheadSeen()) {
            charge(cause, order.orderId());
        } else {
            log.debug("Payment {} of order {} pending: {} {} waits for inventory's reservation", payment.paymentId(),
                    order.orderId(), order.total(), order.currency());
        }
    }

    /** InventoryUpdated: the order may be charged; charge now if its facts are known, else remember the go-ahead. */
    void chargeReservedOrder(EventEnvelope<?> cause, InventoryUpdated reserved) {
        String orderId = reserved.orderId();
        Payment payment = payments.lockOrCreate(orderId, clock.instant());
        if (payment.status() != PaymentStatus.PENDING) {
            log.debug("Payment {} of order {} is {}: the go-ahead changes nothing", payment.paymentId(), orderId,
                    payment.status());
            return;
        }
        if (payment.goAheadSeen()) {
            log.debug("Payment {} of order {} already has inventory's go-ahead; ignoring it", payment.paymentId(),
                    orderId);
            return;
        }
        payments.recordGoAhead(orderId, clock.instant());
        if (payment.orderKnown()) {
            charge(cause, orderId);
        } else {
            log.debug("Payment {} of order {} has inventory's go-ahead and waits for the order (OrderPlaced)",
                    payment.paymentId(), orderId);
        }
    }

    /**
     * ShippingFailed: pay the charge back. Shipping fails only after {@code OrderPayed}, so a charge still waiting for
     * the gateway's answer means this event overtook it (a re-drive): it is retried until the answer is in.
     */
    void refundFailedShipment(EventEnvelope<?> cause, ShippingFailed failed) {
        Optional<Payment> payment = payments.findForUpdate(failed.orderId());
        if (payment.isPresent() && payment.get().status() == PaymentStatus.CHARGED) {
            refund(cause, payment.get(), Texts.abbreviate("shipping failed: " + failed.reason(), Limits.REASON));
        } else if (payment.isPresent() && payment.get().status() == PaymentStatus.CHARGING) {
            throw new ChargeInFlight(failed.orderId());
        } else if (payment.isPresent()) {
            log.debug("Shipping of order {} failed; nothing to refund (payment {} is {})", failed.orderId(),
                    payment.get().paymentId(), payment.get().status());
        } else {
            log.debug("Shipping of order {} failed; nothing to refund (payment unknown)", failed.orderId());
        }
    }

    /**
     * OrderCancelled: void a payment not yet charged, and say so ({@code PaymentDeclined}, which releases the stock),
     * so a late go-ahead charges nothing. A charged order is left to shipping, the one service that knows whether the
     * parcel left: its {@code ShippingFailed} brings the refund (docs/choreography.md, cancellation races).
     */
    void cancel(EventEnvelope<?> cause, OrderCancelled cancelled) {
        String orderId = cancelled.orderId();
        Payment payment = payments.lockOrCreate(orderId, clock.instant());
        switch (payment.status()) {
            case PENDING -> {
                payments.markCancelled(orderId, cancelled.reason(), clock.instant());
                if (payment.orderKnown()) {
                    events.react(cause, new PaymentDeclined(orderId, payment.paymentId(), payment.amount(),
                            payment.currency(),
                            Texts.abbreviate("order cancelled: " + cancelled.reason(), Limits.REASON)));
                }
                log.debug("Voided payment {} of order {} before any charge ({}); a later go-ahead charges nothing",
                        payment.paymentId(), orderId, cancelled.reason());
            }
            // the gateway may have taken the money already: as for a charge, shipping decides
            case CHARGING, CHARGED -> log.debug("Order {} cancelled after payment {} was charged or is being charged: "
                    + "shipping decides, and a refund follows its ShippingFailed", orderId, payment.paymentId());
            case DECLINED, REFUNDING, REFUNDED, CANCELLED -> log.debug(
                    "Order {} cancelled; payment {} is {}: nothing to do", orderId, payment.paymentId(),
                    payment.status());
        }
    }

    /**
     * Decides the charge; the gateway is called by {@link GatewayCalls} once this transaction has committed, and its
     * answer ({@code OrderPayed} or {@code PaymentDeclined}) reacts to {@code cause}.
     */
    private void charge(EventEnvelope<?> cause, String orderId) {
        // re-read under the lock held since lockOrCreate: the facts and the go-ahead are both recorded now
        Payment payment = payments.findForUpdate(orderId).filter(Payment::readyToCharge).orElseThrow(
                () -> new IllegalStateException("payment of order " + orderId + " is not ready to charge"));
        payments.markCharging(orderId, cause.correlationId(), cause.eventId(), TraceContext.currentTraceparent(),
                clock.instant());
        gatewayCalls.wakeAfterCommit();
        log.debug("Charging order {}: payment {} of {} {}, once this commits", orderId,
                payment.paymentId(), payment.amount(), payment.currency());
    }

    /** Decides the refund; the gateway is called once this transaction has committed (see {@link #charge}). */
    private void refund(EventEnvelope<?> cause, Payment payment, String reason) {
        payments.markRefunding(payment.orderId(), reason, cause.correlationId(), cause.eventId(),
                TraceContext.currentTraceparent(), clock.instant());
        gatewayCalls.wakeAfterCommit();
        log.debug("Refunding order {}: payment {} of {} {} ({}), once this commits", payment.orderId(),
                payment.paymentId(), payment.amount(), payment.currency(), reason);
    }

    /**
     * Refuses an order whose currency is no ISO 4217 code (the event's limits bound its length, not its letters);
     * retrying cannot fix it, so the {@link IllegalArgumentException} sends the record straight to the dead-letter
     * topic. Amounts need no check here: an event cannot carry more than 2 decimals or more than
     * {@link Limits#MAX_AMOUNT}, the columns' NUMERIC(12,2).
     */
    private static void requireIsoCurrency(OrderPlaced order) {
        if (!CURRENCY.matcher(order.currency()).matches()) {
            throw new IllegalArgumentException("order " + order.orderId() + ": currency '" + order.currency()
                    + "' is not an ISO 4217 code");
        }
    }

    /** A refund asked for while the charge still waits for the gateway's answer: retried, never dead-lettered. */
    static final class ChargeInFlight extends RuntimeException implements TransientFailure {

        ChargeInFlight(String orderId) {
            super("order " + orderId + ": the charge waits for the payment gateway's answer; the refund follows it");
        }
    }
}
