package dev.choreo.shipping.shipment;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Limits;
import dev.choreo.events.Texts;
import dev.choreo.events.order.OrderCancelled;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.payment.OrderPayed;
import dev.choreo.events.shipping.OrderShipped;
import dev.choreo.events.shipping.ShippingEvent;
import dev.choreo.events.shipping.ShippingFailed;
import dev.choreo.messaging.outbox.EventPublisher;
import dev.choreo.shipping.ShippingProperties;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Shipping's decisions. Joins the address from {@code OrderPlaced} with the go-ahead from {@code OrderPayed},
 * whichever comes first, and ships once both are in: {@code OrderShipped}, or {@code ShippingFailed} when no
 * carrier delivers to the destination. Shipping also decides cancellation races (docs/choreography.md): a
 * cancellation of a paid order that has not shipped is answered with {@code ShippingFailed} (so payment refunds
 * and inventory releases), at once or when the payment arrives; one that comes after the shipment changes nothing.
 * Every method runs inside the transaction in which the starter's inbox handles the event, with the order's row
 * locked.
 */
@Service
@Transactional(propagation = Propagation.MANDATORY)
class Shipping {

    private static final Logger log = LoggerFactory.getLogger(Shipping.class);

    private final ShipmentRepository shipments;
    private final EventPublisher events;
    private final ShippingProperties properties;
    private final ShipmentMetrics metrics;
    private final Clock clock;

    Shipping(ShipmentRepository shipments, EventPublisher events, ShippingProperties properties,
            ShipmentMetrics metrics, Clock clock) {
        this.shipments = shipments;
        this.events = events;
        this.properties = properties;
        this.metrics = metrics;
        this.clock = clock;
    }

    void addressReceived(EventEnvelope<?> cause, OrderPlaced placed) {
        if (shipments.insertIfAbsent(Shipment.placed(placed.orderId(), placed.shippingAddress(), clock.instant()))) {
            log.debug("Order {} placed: will ship to {} once it is paid", placed.orderId(),
                    placed.shippingAddress().country());
            return;
        }
        Shipment shipment = shipments.lock(placed.orderId());
        if (shipment.hasAddress()) {
            log.warn("Order {} placed again (event {}): keeping the address already known", placed.orderId(),
                    cause.eventId());
            return;
        }
        Shipment withAddress = shipment.withAddress(placed.shippingAddress(), clock.instant());
        if (withAddress.readyToShip()) {
            decide(withAddress, cause.correlationId());
        } else {
            shipments.update(withAddress);
            if (log.isDebugEnabled()) {
                log.debug("Order {} placed after it was {}: address stored, nothing to ship", placed.orderId(),
                        shipment.status().name().toLowerCase(Locale.ROOT));
            }
        }
    }

    void paymentReceived(EventEnvelope<?> cause, OrderPayed payed) {
        if (shipments.insertIfAbsent(Shipment.paidBeforePlaced(payed.orderId(), payed.paymentId(), cause.eventId(),
                clock.instant()))) {
            log.debug("Order {} paid before its address arrived: will ship once OrderPlaced is seen", payed.orderId());
            return;
        }
        Shipment shipment = shipments.lock(payed.orderId());
        if (shipment.isPaid()) {
            log.warn("Order {} paid again (payment {}, event {}): it has its shipment decision already ({})",
                    payed.orderId(), payed.paymentId(), cause.eventId(), shipment.status());
            return;
        }
        Shipment paid = shipment.withPayment(payed.paymentId(), cause.eventId(), clock.instant());
        if (shipment.status() == ShipmentStatus.CANCELLED) {
            refuseCancelled(paid, cause);
        } else if (paid.readyToShip()) {
            decide(paid, cause.correlationId());
        } else {
            shipments.update(paid);
            if (log.isDebugEnabled()) {
                log.debug("Order {} paid but {}: shipping nothing", payed.orderId(),
                        shipment.status().name().toLowerCase(Locale.ROOT));
            }
        }
    }

    void orderCancelled(EventEnvelope<?> cause, OrderCancelled cancelled) {
        if (shipments.insertIfAbsent(Shipment.cancelledBeforeAnything(cancelled.orderId(), cancelled.reason(),
                clock.instant()))) {
            log.debug("Order {} cancelled before shipping knew it: a late payment will ship nothing",
                    cancelled.orderId());
            return;
        }
        Shipment shipment = shipments.lock(cancelled.orderId());
        if (shipment.status().isFinal()) {
            // Too late: what went out stays out, and the order completes as shipped.
            log.warn("Order {} cancelled ({}) but its shipment is already {}: nothing to undo here",
                    cancelled.orderId(), cancelled.reason(), shipment.status());
            return;
        }
        Shipment withdrawn = shipment.cancelled(cancelled.reason(), clock.instant());
        if (shipment.isPaid()) {
            refuseCancelled(withdrawn, cause);
            return;
        }
        shipments.update(withdrawn);
        log.debug("Order {} cancelled ({}): will refuse the shipment when the payment arrives", cancelled.orderId(),
                cancelled.reason());
    }

    /** A paid order that was cancelled before it shipped: refuse it, so payment refunds and inventory releases. */
    private void refuseCancelled(Shipment cancelledAndPaid, EventEnvelope<?> cause) {
        String reason = Texts.abbreviate("order cancelled: " + cancelledAndPaid.cancellationReason(), Limits.REASON);
        shipments.update(cancelledAndPaid);
        publish(cause.correlationId(), cause.eventId(), new ShippingFailed(cancelledAndPaid.orderId(), reason));
        metrics.failed();
        log.debug("Shipping withdrawn for order {}: {}", cancelledAndPaid.orderId(), reason);
    }

    /** Both facts are in: ship, or fail when no carrier delivers there. At most once per order (row lock). */
    private void decide(Shipment ready, String correlationId) {
        String country = ready.address().country();
        if (!properties.delivers(country)) {
            String reason = "no carrier delivers to " + country;
            Shipment failed = ready.failed(reason, clock.instant());
            shipments.update(failed);
            publish(correlationId, failed.paymentEventId(), new ShippingFailed(failed.orderId(), reason));
            metrics.failed();
            log.debug("Shipping failed for order {}: {}", failed.orderId(), reason);
            return;
        }
        Shipment shipped = ready.shipped("shp-" + UUID.randomUUID(), properties.carrier(), trackingNumber(),
                clock.instant());
        shipments.update(shipped);
        publish(correlationId, shipped.paymentEventId(), new OrderShipped(shipped.orderId(), shipped.shipmentId(), shipped.carrier(),
                shipped.trackingNumber(), country));
        metrics.shipped();
        log.debug("Shipped order {} to {} with {} as {}, tracking number {}", shipped.orderId(), country,
                shipped.carrier(), shipped.shipmentId(), shipped.trackingNumber());
    }

    /**
     * A shipping outcome answers the payment, whichever of the two joined events arrived last, so its causation
     * id is the {@code OrderPayed}'s event id (a withdrawal answers the cancellation); the correlation id is the
     * order's.
     */
    private void publish(String correlationId, UUID causationId, ShippingEvent payload) {
        events.reactTo(correlationId, causationId, payload);
    }

    private String trackingNumber() {
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        return properties.trackingPrefix() + HexFormat.of().withUpperCase().formatHex(random);
    }
}
