package dev.choreo.inventory.reservation;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Limits;
import dev.choreo.events.Texts;
import dev.choreo.events.inventory.InventoryRejected;
import dev.choreo.events.inventory.InventoryReleased;
import dev.choreo.events.inventory.InventoryUpdated;
import dev.choreo.events.order.OrderLine;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.inventory.reservation.ReservationOutcomes.Outcome;
import dev.choreo.messaging.outbox.EventPublisher;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Inventory's decisions. Each runs inside the transaction in which the starter's inbox runs the handler, so the
 * stock moves, the reservation's new state, the event published through the outbox and the record of the
 * handled event commit together or not at all.
 */
@Service
@Transactional(propagation = Propagation.MANDATORY)
class StockReservations {

    private static final Logger log = LoggerFactory.getLogger(StockReservations.class);

    private final StockRepository stock;
    private final ReservationRepository reservations;
    private final EventPublisher events;
    private final ReservationOutcomes outcomes;
    private final Clock clock;

    StockReservations(StockRepository stock, ReservationRepository reservations, EventPublisher events,
            ReservationOutcomes outcomes, Clock clock) {
        this.stock = stock;
        this.reservations = reservations;
        this.events = events;
        this.outcomes = outcomes;
        this.clock = clock;
    }

    /**
     * Reserves every line of the order, or nothing: the stock rows are locked in SKU order, checked, then each
     * line is moved from available to reserved. Publishes {@code InventoryUpdated}, or {@code InventoryRejected}
     * naming the SKUs that are short or unknown.
     */
    public void reserve(EventEnvelope<?> cause, OrderPlaced order) {
        Optional<Reservation> existing = reservations.find(order.orderId());
        if (existing.isPresent()) {
            if (existing.get().status() == ReservationStatus.CANCELLED || existing.get().lines().isEmpty()) {
                log.debug("Not reserving order {}: it was cancelled before it arrived", order.orderId());
            } else {
                log.warn("Not reserving order {} again: event {} repeats an order that is already {}",
                        order.orderId(), cause.eventId(), existing.get().status());
            }
            return;
        }
        SortedMap<String, Long> wanted = quantitiesBySku(order.lines());
        Map<String, Integer> available = stock.lockAvailable(wanted.keySet());
        List<String> shortages = new ArrayList<>();
        List<Reservation.Line> lines = new ArrayList<>();
        wanted.forEach((sku, quantity) -> {
            Integer units = available.get(sku);
            boolean unavailable = units == null || units < quantity;
            if (unavailable) {
                shortages.add(units == null
                        ? sku + " is not in the catalogue"
                        : sku + ": " + quantity + " wanted, " + units + " available");
            }
            lines.add(new Reservation.Line(sku, quantity, unavailable));
        });
        Instant now = clock.instant();
        if (!shortages.isEmpty()) {
            String reason = Texts.abbreviate("Not enough stock: " + String.join("; ", shortages), Limits.REASON);
            Reservation rejected = new Reservation(order.orderId(), UUID.randomUUID(), ReservationStatus.REJECTED,
                    reason, cause.correlationId(), now, now, lines);
            reservations.insert(rejected);
            events.react(cause, new InventoryRejected(order.orderId(), reason, rejected.unavailableSkus()));
            outcomes.afterCommit(Outcome.REJECTED);
            log.debug("Rejected order {}: {}", order.orderId(), reason);
            return;
        }
        for (Reservation.Line line : lines) {
            // the rows are locked and were checked, so this cannot fail; if it did, nothing of it would commit
            if (!stock.reserve(line.sku(), Math.toIntExact(line.quantity()))) {
                throw new IllegalStateException("stock of " + line.sku() + " changed under its lock");
            }
        }
        Reservation reserved = new Reservation(order.orderId(), UUID.randomUUID(), ReservationStatus.RESERVED,
                null, cause.correlationId(), now, now, lines);
        reservations.insert(reserved);
        events.react(cause, new InventoryUpdated(order.orderId(), reserved.reservationId().toString(),
                reserved.reservedLines()));
        outcomes.afterCommit(Outcome.RESERVED);
        if (log.isDebugEnabled()) {
            log.debug("Reserved order {}: {}", order.orderId(), describe(reserved.lines()));
        }
    }

    /**
     * OrderCancelled releases nothing by itself: payment (not charged: {@code PaymentDeclined}) or shipping (not
     * shipped: {@code ShippingFailed}) decide whether the goods can come back, and their event releases them
     * (docs/choreography.md, cancellation races). A cancellation of an order not yet seen is remembered, so the
     * order is not reserved if it still arrives.
     */
    public void rememberCancellation(EventEnvelope<?> cause, String orderId, String reason) {
        if (reservations.findForUpdate(orderId).isPresent()) {
            log.debug("Order {} cancelled ({}): its stock is released when payment or shipping confirms", orderId,
                    reason);
            return;
        }
        Instant now = clock.instant();
        reservations.insert(new Reservation(orderId, UUID.randomUUID(), ReservationStatus.CANCELLED, reason,
                cause.correlationId(), now, now, List.of()));
        log.debug("Order {} was cancelled before it arrived: it will not be reserved", orderId);
    }

    /**
     * Gives a held reservation back to available stock and publishes {@code InventoryReleased}, at most once per
     * order: a reservation already released, rejected or shipped is left as it is, and nothing is published. An order
     * whose cancellation arrived before it (nothing held) is released with no lines: its {@code InventoryReleased} is
     * what ends the process as cancelled (docs/choreography.md, a cancellation that overtakes its order). So is an
     * order inventory has not seen at all (payment's void overtook the order here): it is remembered as released,
     * so the order is not reserved if it still arrives.
     */
    public void release(EventEnvelope<?> cause, String orderId, String reason) {
        Optional<Reservation> found = reservations.findForUpdate(orderId);
        Instant now = clock.instant();
        if (found.isEmpty()) {
            reservations.insert(new Reservation(orderId, UUID.randomUUID(), ReservationStatus.RELEASED, reason,
                    cause.correlationId(), now, now, List.of()));
            events.react(cause, new InventoryReleased(orderId, reason, List.of()));
            outcomes.afterCommit(Outcome.RELEASED);
            log.debug("Order {} released on {} before inventory saw it: it will not be reserved", orderId,
                    cause.eventType());
            return;
        }
        Reservation reservation = found.get();
        if (reservation.status() == ReservationStatus.CANCELLED) {
            reservations.updateStatus(orderId, ReservationStatus.RELEASED, reason, now);
            events.react(cause, new InventoryReleased(orderId, reason, List.of()));
            outcomes.afterCommit(Outcome.RELEASED);
            log.debug("Order {} was cancelled before it arrived: released with nothing held ({})", orderId, reason);
            return;
        }
        if (reservation.status() != ReservationStatus.RESERVED) {
            log.debug("Nothing to release for order {} on {}: its reservation is {}", orderId, cause.eventType(),
                    reservation.status());
            return;
        }
        for (Reservation.Line line : reservation.lines()) {
            if (!stock.release(line.sku(), Math.toIntExact(line.quantity()))) {
                throw new IllegalStateException("fewer units of " + line.sku() + " reserved than order " + orderId
                        + " holds");
            }
        }
        reservations.updateStatus(orderId, ReservationStatus.RELEASED, reason, now);
        events.react(cause, new InventoryReleased(orderId, reason, reservation.reservedLines()));
        outcomes.afterCommit(Outcome.RELEASED);
        if (log.isDebugEnabled()) {
            log.debug("Released the reservation of order {} ({}): {}", orderId, reason,
                    describe(reservation.lines()));
        }
    }

    /**
     * Books the order's reserved units as shipped. The choreography releases only orders that will not ship, but
     * an operator's re-drive can still bring a shipment after a release: the goods did leave, so they are booked
     * from available stock, and if that no longer has them the handler fails and the event is dead-lettered.
     */
    public void ship(EventEnvelope<?> cause, String orderId) {
        Optional<Reservation> found = reservations.findForUpdate(orderId);
        if (found.isEmpty()) {
            log.warn("Order {} shipped but inventory never reserved it: nothing to book", orderId);
            return;
        }
        Reservation reservation = found.get();
        switch (reservation.status()) {
            case RESERVED -> {
                for (Reservation.Line line : reservation.lines()) {
                    if (!stock.ship(line.sku(), Math.toIntExact(line.quantity()))) {
                        throw new IllegalStateException("fewer units of " + line.sku() + " reserved than order "
                                + orderId + " holds");
                    }
                }
                reservations.updateStatus(orderId, ReservationStatus.SHIPPED, null, clock.instant());
                outcomes.afterCommit(Outcome.SHIPPED);
                if (log.isDebugEnabled()) {
                    log.debug("Shipped order {}: {}", orderId, describe(reservation.lines()));
                }
            }
            case RELEASED -> {
                for (Reservation.Line line : reservation.lines()) {
                    if (!stock.shipFromAvailable(line.sku(), Math.toIntExact(line.quantity()))) {
                        throw new IllegalStateException("order " + orderId + " shipped after its reservation was "
                                + "released, and " + line.sku() + " no longer has " + line.quantity()
                                + " units available to book");
                    }
                }
                String reason = "shipped after the reservation was released (" + reservation.reason() + ")";
                reservations.updateStatus(orderId, ReservationStatus.SHIPPED, reason, clock.instant());
                outcomes.afterCommit(Outcome.SHIPPED);
                log.warn("Shipped order {} from available stock: its reservation had been released: {}", orderId,
                        describe(reservation.lines()));
            }
            case SHIPPED -> log.debug("Order {} is already booked as shipped", orderId);
            case REJECTED, CANCELLED -> log.warn("Order {} shipped but inventory holds nothing for it: its "
                    + "reservation is {}", orderId, reservation.status());
        }
    }

    private static SortedMap<String, Long> quantitiesBySku(List<OrderLine> lines) {
        // long: even absurd quantities add up without overflow, and are then simply unavailable
        return lines.stream().collect(Collectors.groupingBy(OrderLine::sku, TreeMap::new,
                Collectors.summingLong(OrderLine::quantity)));
    }

    private static String describe(List<Reservation.Line> lines) {
        return lines.stream().map(l -> l.quantity() + " x " + l.sku()).collect(Collectors.joining(", "));
    }
}
