package dev.choreo.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Limits;
import dev.choreo.events.Topics;
import dev.choreo.events.inventory.InventoryRejected;
import dev.choreo.events.inventory.InventoryReleased;
import dev.choreo.events.inventory.InventoryUpdated;
import dev.choreo.events.inventory.ReservedLine;
import dev.choreo.events.order.OrderCancelled;
import dev.choreo.events.order.OrderLine;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.payment.OrderPayed;
import dev.choreo.events.payment.PaymentDeclined;
import dev.choreo.events.payment.PaymentRefunded;
import dev.choreo.events.shipping.OrderShipped;
import dev.choreo.events.shipping.ShippingFailed;
import dev.choreo.messaging.test.OrderEvents;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every reaction of inventory in docs/choreography.md, with the stock balance checked on each path. */
class ReservationFlowTest extends InventoryServiceTestSupport {

    @Test
    void reservesEveryLineThenBooksTheReservedUnitsAsShipped() {
        String keyboard = givenProduct(10);
        String mouse = givenProduct(10);
        OrderEvents order = OrderEvents.newOrder();
        // two lines of the same SKU are one reservation line
        EventEnvelope<OrderPlaced> placed = order.placed(List.of(line(keyboard, 2), line(mouse, 3), line(keyboard, 1)),
                OrderEvents.CHARGED_TOKEN, "FI");

        sendAndAwait(placed);

        EventEnvelope<?> updated = single(inventoryEventsOf(order.orderId()));
        assertThat(updated.payload()).isInstanceOfSatisfying(InventoryUpdated.class, event -> {
            assertThat(event.orderId()).isEqualTo(order.orderId());
            // merged per SKU, in SKU order: the order the stock rows were locked in
            assertThat(event.lines()).containsExactlyElementsOf(Stream.of(keyboard, mouse).sorted()
                    .map(sku -> new ReservedLine(sku, 3)).toList());
            assertThat(event.reservationId()).isEqualTo(reservation(order.orderId()).reservationId());
        });
        assertThat(updated.correlationId()).isEqualTo(order.correlationId());
        assertThat(updated.causationId()).isEqualTo(placed.eventId());
        assertThat(updated.producer()).isEqualTo("inventory-service");
        assertThat(updated.key()).isEqualTo(order.orderId());
        assertThat(reservation(order.orderId()).status()).isEqualTo("RESERVED");
        assertThat(reservation(order.orderId()).lines()).containsExactlyInAnyOrder(
                new ReservationView.Line(keyboard, 3), new ReservationView.Line(mouse, 3));
        assertThat(get("/reservations/{orderId}", order.orderId()).body()).as("ISO-8601 times")
                .containsPattern("\"createdAt\":\"\\d{4}-\\d{2}-\\d{2}T[^\"]+Z\"");
        assertThat(stock(keyboard)).extracting(ProductStock::available, ProductStock::reserved, ProductStock::shipped)
                .containsExactly(7, 3, 0);
        assertStockConserved(keyboard, mouse);

        sendAndAwait(order.next(shipped(order)));

        assertThat(reservation(order.orderId()).status()).isEqualTo("SHIPPED");
        assertThat(stock(keyboard)).extracting(ProductStock::available, ProductStock::reserved, ProductStock::shipped)
                .containsExactly(7, 0, 3);
        assertThat(stock(mouse)).extracting(ProductStock::available, ProductStock::reserved, ProductStock::shipped)
                .containsExactly(7, 0, 3);
        assertStockConserved(keyboard, mouse);
        assertThat(inventoryEventTypesOf(order.orderId())).as("shipping publishes nothing more")
                .containsExactly("InventoryUpdated");
    }

    @Test
    void rejectsTheWholeOrderNamingEveryShortOrUnknownSkuAndReservesNothing() {
        String plenty = givenProduct(10);
        String scarce = givenProduct(1);
        OrderEvents order = OrderEvents.newOrder();
        EventEnvelope<OrderPlaced> placed = order.placed(
                List.of(line(plenty, 2), line(scarce, 2), line("SKU-NOT-IN-CATALOGUE", 1)), OrderEvents.CHARGED_TOKEN,
                "FI");

        sendAndAwait(placed);

        EventEnvelope<?> rejected = single(inventoryEventsOf(order.orderId()));
        assertThat(rejected.causationId()).isEqualTo(placed.eventId());
        assertThat(rejected.payload()).isInstanceOfSatisfying(InventoryRejected.class, event -> {
            assertThat(event.unavailableSkus()).containsExactlyInAnyOrder(scarce, "SKU-NOT-IN-CATALOGUE");
            assertThat(event.reason()).contains(scarce + ": 2 wanted, 1 available")
                    .contains("SKU-NOT-IN-CATALOGUE is not in the catalogue");
        });
        ReservationView reservation = reservation(order.orderId());
        assertThat(reservation.status()).isEqualTo("REJECTED");
        assertThat(reservation.unavailableSkus()).containsExactlyInAnyOrder(scarce, "SKU-NOT-IN-CATALOGUE");
        assertThat(stock(plenty)).extracting(ProductStock::available, ProductStock::reserved).containsExactly(10, 0);
        assertThat(stock(scarce)).extracting(ProductStock::available, ProductStock::reserved).containsExactly(1, 0);
        assertStockConserved(plenty, scarce);

        // the customer cancels the rejected order: there is nothing to release and nothing to say
        sendAndAwait(order.next(cancelled(order)));

        assertThat(inventoryEventTypesOf(order.orderId())).containsExactly("InventoryRejected");
        assertThat(reservation(order.orderId()).status()).isEqualTo("REJECTED");
        assertStockConserved(plenty, scarce);
    }

    @Test
    void aZeroStockProductIsRejected() {
        OrderEvents order = OrderEvents.newOrder();

        sendAndAwait(order.placed("SKU-SOLDOUT", 1));

        assertThat(single(inventoryEventsOf(order.orderId())).payload()).isInstanceOfSatisfying(
                InventoryRejected.class, event -> assertThat(event.unavailableSkus()).containsExactly("SKU-SOLDOUT"));
        assertStockConserved("SKU-SOLDOUT");
    }

    @Test
    void releasesTheReservationWhenThePaymentIsDeclinedAndOnlyOnce() {
        String sku = givenProduct(10);
        OrderEvents order = OrderEvents.newOrder();
        sendAndAwait(order.placed(sku, 4));
        assertThat(stock(sku).reserved()).isEqualTo(4);

        EventEnvelope<PaymentDeclined> declined = order.next(new PaymentDeclined(order.orderId(), "pay-1",
                new BigDecimal("40.00"), "EUR", "card declined"));
        sendAndAwait(declined);

        EventEnvelope<?> released = inventoryEventsOf(order.orderId()).get(1);
        assertThat(released.causationId()).isEqualTo(declined.eventId());
        assertThat(released.correlationId()).isEqualTo(order.correlationId());
        assertThat(released.payload()).isInstanceOfSatisfying(InventoryReleased.class, event -> {
            assertThat(event.lines()).containsExactly(new ReservedLine(sku, 4));
            assertThat(event.reason()).isEqualTo("payment declined: card declined");
        });
        assertThat(reservation(order.orderId()).status()).isEqualTo("RELEASED");
        assertThat(stock(sku)).extracting(ProductStock::available, ProductStock::reserved).containsExactly(10, 0);
        assertStockConserved(sku);

        // the customer cancels as well: the reservation is already released, nothing happens twice
        sendAndAwait(order.next(cancelled(order)));

        assertThat(inventoryEventTypesOf(order.orderId())).containsExactly("InventoryUpdated", "InventoryReleased");
        assertThat(stock(sku)).extracting(ProductStock::available, ProductStock::reserved).containsExactly(10, 0);
        assertStockConserved(sku);
    }

    @Test
    void releasesTheReservationWhenShippingFails() {
        String sku = givenProduct(10);
        OrderEvents order = OrderEvents.newOrder();
        sendAndAwait(order.placed(sku, 2));

        sendAndAwait(order.next(new ShippingFailed(order.orderId(), "destination AQ is not served")));

        assertThat(inventoryEventTypesOf(order.orderId())).containsExactly("InventoryUpdated", "InventoryReleased");
        assertThat(inventoryEventsOf(order.orderId()).get(1).payload()).isInstanceOfSatisfying(
                InventoryReleased.class,
                event -> assertThat(event.reason()).isEqualTo("shipping failed: destination AQ is not served"));
        assertThat(reservation(order.orderId()).status()).isEqualTo("RELEASED");
        assertThat(stock(sku)).extracting(ProductStock::available, ProductStock::reserved).containsExactly(10, 0);
        assertStockConserved(sku);
    }

    @Test
    void aCancellationLeavesTheReleaseToTheVoidedPaymentThatFollows() {
        String sku = givenProduct(10);
        OrderEvents order = OrderEvents.newOrder();
        sendAndAwait(order.placed(sku, 5));

        sendAndAwait(order.next(cancelled(order)));

        // payment or shipping decides whether the goods can come back
        assertThat(inventoryEventTypesOf(order.orderId())).containsExactly("InventoryUpdated");
        assertThat(reservation(order.orderId()).status()).isEqualTo("RESERVED");

        sendAndAwait(order.next(new PaymentDeclined(order.orderId(), "pay-1", new BigDecimal("50.00"), "EUR",
                "order cancelled: changed my mind")));

        assertThat(inventoryEventTypesOf(order.orderId())).containsExactly("InventoryUpdated", "InventoryReleased");
        assertThat(inventoryEventsOf(order.orderId()).get(1).payload()).isInstanceOfSatisfying(
                InventoryReleased.class, event -> {
                    assertThat(event.lines()).containsExactly(new ReservedLine(sku, 5));
                    assertThat(event.reason()).isEqualTo("payment declined: order cancelled: changed my mind");
                });
        assertThat(reservation(order.orderId()).status()).isEqualTo("RELEASED");
        assertThat(stock(sku)).extracting(ProductStock::available, ProductStock::reserved).containsExactly(10, 0);
        assertStockConserved(sku);
    }

    @Test
    void aReasonAtItsLimitQuotedInTheReleaseIsCutToFitAndTheProcessStillEnds() {
        String sku = givenProduct(10);
        OrderEvents order = OrderEvents.newOrder();
        sendAndAwait(order.placed(sku, 2));

        sendAndAwait(order.next(new PaymentDeclined(order.orderId(), "pay-1", new BigDecimal("20.00"), "EUR",
                "r".repeat(Limits.REASON))));

        assertThat(inventoryEventTypesOf(order.orderId())).containsExactly("InventoryUpdated", "InventoryReleased");
        assertThat(inventoryEventsOf(order.orderId()).get(1).payload()).isInstanceOfSatisfying(
                InventoryReleased.class, event -> assertThat(event.reason()).hasSize(Limits.REASON)
                        .startsWith("payment declined: rrr").endsWith("…"));
        assertThat(stock(sku)).extracting(ProductStock::available, ProductStock::reserved).containsExactly(10, 0);
    }

    @Test
    void aCancellationThatArrivesBeforeItsOrderIsRememberedAndThePaymentsVoidEndsTheProcess() {
        String sku = givenProduct(10);
        OrderEvents order = OrderEvents.newOrder();
        EventEnvelope<OrderPlaced> placed = order.placed(sku, 3);
        EventEnvelope<OrderCancelled> cancelled = order.next(cancelled(order));

        sendAndAwait(cancelled);

        assertThat(inventoryEventsOf(order.orderId())).as("nothing was reserved, so nothing is released").isEmpty();
        assertThat(reservation(order.orderId()).status()).isEqualTo("CANCELLED");

        sendAndAwait(placed);

        assertThat(inventoryEventsOf(order.orderId())).isEmpty();
        assertThat(reservation(order.orderId()).status()).isEqualTo("CANCELLED");

        // payment voids the order it saw cancelled first: the release that follows holds nothing, and ends the process
        sendAndAwait(order.next(new PaymentDeclined(order.orderId(), "pay-1", new BigDecimal("30.00"), "EUR",
                "order cancelled: changed my mind")));

        assertThat(inventoryEventTypesOf(order.orderId())).containsExactly("InventoryReleased");
        assertThat(inventoryEventsOf(order.orderId()).get(0).payload()).isInstanceOfSatisfying(
                InventoryReleased.class, event -> assertThat(event.lines()).isEmpty());
        assertThat(reservation(order.orderId()).status()).isEqualTo("RELEASED");
        assertThat(stock(sku)).extracting(ProductStock::available, ProductStock::reserved).containsExactly(10, 0);
        assertStockConserved(sku);
    }

    @Test
    void aVoidedPaymentThatOvertakesItsOrderEndsTheProcessAndTheOrderIsNotReserved() {
        String sku = givenProduct(10);
        OrderEvents order = OrderEvents.newOrder();
        EventEnvelope<OrderPlaced> placed = order.placed(sku, 3);

        sendAndAwait(order.next(new PaymentDeclined(order.orderId(), "pay-1", new BigDecimal("30.00"), "EUR",
                "order cancelled: changed my mind")));

        assertThat(inventoryEventTypesOf(order.orderId())).containsExactly("InventoryReleased");
        assertThat(inventoryEventsOf(order.orderId()).get(0).payload()).isInstanceOfSatisfying(
                InventoryReleased.class, event -> assertThat(event.lines()).isEmpty());

        sendAndAwait(placed, order.next(cancelled(order)));

        assertThat(inventoryEventTypesOf(order.orderId())).as("not reserved, nothing more published")
                .containsExactly("InventoryReleased");
        assertThat(reservation(order.orderId()).status()).isEqualTo("RELEASED");
        assertThat(stock(sku)).extracting(ProductStock::available, ProductStock::reserved).containsExactly(10, 0);
        assertStockConserved(sku);
    }

    @Test
    void aCancellationAfterTheShipmentReleasesNothing() {
        String sku = givenProduct(10);
        OrderEvents order = OrderEvents.newOrder();
        sendAndAwait(order.placed(sku, 2));
        sendAndAwait(order.next(shipped(order)));

        sendAndAwait(order.next(cancelled(order)));

        assertThat(inventoryEventTypesOf(order.orderId())).containsExactly("InventoryUpdated");
        assertThat(reservation(order.orderId()).status()).isEqualTo("SHIPPED");
        assertThat(stock(sku)).extracting(ProductStock::available, ProductStock::shipped).containsExactly(8, 2);
        assertStockConserved(sku);
    }

    @Test
    void aShipmentAfterAReleaseIsBookedFromAvailableStock() {
        String sku = givenProduct(10);
        OrderEvents order = OrderEvents.newOrder();
        sendAndAwait(order.placed(sku, 2));
        sendAndAwait(order.next(new PaymentDeclined(order.orderId(), "pay-1", new BigDecimal("20.00"), "EUR",
                "card declined")));
        assertThat(stock(sku)).extracting(ProductStock::available, ProductStock::reserved).containsExactly(10, 0);

        // e.g. an operator re-drove an old shipment: the goods are gone all the same
        sendAndAwait(order.next(shipped(order)));

        assertThat(reservation(order.orderId()).status()).isEqualTo("SHIPPED");
        assertThat(stock(sku)).extracting(ProductStock::available, ProductStock::reserved, ProductStock::shipped)
                .containsExactly(8, 0, 2);
        assertStockConserved(sku);
    }

    @Test
    void aCancellationAndADeclinedPaymentArrivingTogetherReleaseOnce() {
        String sku = givenProduct(10);
        OrderEvents order = OrderEvents.newOrder();
        sendAndAwait(order.placed(sku, 3));

        // different topics, so handled by different consumers at the same time
        sendAndAwait(order.next(cancelled(order)), order.next(new PaymentDeclined(order.orderId(), "pay-2",
                new BigDecimal("30.00"), "EUR", "insufficient funds")));

        assertThat(inventoryEventTypesOf(order.orderId())).containsExactly("InventoryUpdated", "InventoryReleased");
        assertThat(stock(sku)).extracting(ProductStock::available, ProductStock::reserved).containsExactly(10, 0);
        assertStockConserved(sku);
    }

    @Test
    void eventsInventoryDoesNotReactToAreIgnored() {
        String sku = givenProduct(10);
        OrderEvents order = OrderEvents.newOrder();
        sendAndAwait(order.placed(sku, 1));

        sendAndAwait(order.next(new OrderPayed(order.orderId(), "pay-3", new BigDecimal("10.00"), "EUR", "4242")),
                order.next(new PaymentRefunded(order.orderId(), "pay-3", new BigDecimal("10.00"), "EUR", "test")));

        assertThat(inventoryEventTypesOf(order.orderId())).containsExactly("InventoryUpdated");
        assertThat(deadLettersOf(Topics.PAYMENT_EVENTS, order.orderId())).as("skipped, not dead-lettered").isEmpty();
        assertThat(reservation(order.orderId()).status()).isEqualTo("RESERVED");
        assertThat(stock(sku).reserved()).isEqualTo(1);
    }

    static OrderLine line(String sku, int quantity) {
        return new OrderLine(sku, quantity, new BigDecimal("10.00"));
    }

    static OrderCancelled cancelled(OrderEvents order) {
        return new OrderCancelled(order.orderId(), "changed my mind", "customer");
    }

    static OrderShipped shipped(OrderEvents order) {
        return new OrderShipped(order.orderId(), "shp-1", "DHL", "TRACK-1", "FI");
    }

    private static EventEnvelope<?> single(List<EventEnvelope<?>> events) {
        assertThat(events).hasSize(1);
        return events.get(0);
    }
}
