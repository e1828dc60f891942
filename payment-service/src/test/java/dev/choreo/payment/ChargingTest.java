package dev.choreo.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventCatalog;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import dev.choreo.events.inventory.InventoryUpdated;
import dev.choreo.events.inventory.ReservedLine;
import dev.choreo.events.order.OrderLine;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.payment.OrderPayed;
import dev.choreo.events.payment.PaymentDeclined;
import dev.choreo.messaging.test.OrderEvents;
import dev.choreo.payment.gateway.ChargeResult;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** InventoryUpdated → charge the order's total (from OrderPlaced) → OrderPayed or PaymentDeclined. */
class ChargingTest extends PaymentServiceIntegration {

    @Autowired
    FlakyPaymentGateway gateway;

    @Autowired
    TransactionTemplate transaction;

    @Test
    void chargesTheOrderOnceInventoryReservedItAndKeepsOnlyTheCardsLast4() {
        OrderEvents order = OrderEvents.newOrder();
        EventEnvelope<OrderPlaced> placed = order.placed(List.of(new OrderLine("SKU-1", 2, new BigDecimal("10.00")),
                new OrderLine("SKU-2", 1, new BigDecimal("29.90"))), OrderEvents.CHARGED_TOKEN, "FI");
        EventEnvelope<InventoryUpdated> reserved = order.next(reservationOf(order.orderId()));

        send(placed);
        // the order is known and waits for the go-ahead: this is the join with OrderPlaced first
        await().until(() -> "InventoryUpdated".equals(waitingFor(order.orderId())));
        assertThat(tokenKept(order.orderId())).isTrue();
        send(reserved);

        await().untilAsserted(() -> assertThat(published("OrderPayed", order.orderId())).hasSize(1));
        EventEnvelope<?> payed = published("OrderPayed", order.orderId()).get(0);
        assertThat(payed.correlationId()).isEqualTo(order.correlationId());
        assertThat(payed.causationId()).isEqualTo(reserved.eventId());
        assertThat(payed.producer()).isEqualTo(EventCatalog.PAYMENT_SERVICE);
        assertThat(payed.key()).isEqualTo(order.orderId());
        OrderPayed payment = (OrderPayed) payed.payload();
        assertThat(payment.amount()).isEqualTo(new BigDecimal("49.90"));
        assertThat(payment.currency()).isEqualTo("EUR");
        assertThat(payment.cardLast4()).isEqualTo("4242");
        assertThat(payment.paymentId()).startsWith("pay-");

        JsonNode view = payment(order.orderId());
        assertThat(text(view, "status")).isEqualTo("CHARGED");
        assertThat(text(view, "paymentId")).isEqualTo(payment.paymentId());
        assertThat(view.get("amount").decimalValue()).isEqualByComparingTo("49.90");
        assertThat(text(view, "currency")).isEqualTo("EUR");
        assertThat(text(view, "cardLast4")).isEqualTo("4242");
        assertThat(text(view, "customerId")).isEqualTo("c-42");
        assertThat(text(view, "chargedAt")).isNotNull();
        assertThat(text(view, "waitingFor")).isNull();
        assertThat(view.toString()).doesNotContain(OrderEvents.CHARGED_TOKEN);
        // charged: the token is gone from the database, the card's last 4 digits came with the answer
        assertThat(tokenKept(order.orderId())).isFalse();
        assertThat(published("PaymentDeclined", order.orderId())).isEmpty();
    }

    @Test
    void declinesTheSandboxsDeclinedCard() {
        OrderEvents order = OrderEvents.newOrder();
        send(order.placed(List.of(new OrderLine("SKU-1", 3, new BigDecimal("10.00"))), OrderEvents.DECLINED_TOKEN,
                "FI"), order.next(reservationOf(order.orderId())));

        await().untilAsserted(() -> assertThat(published("PaymentDeclined", order.orderId())).hasSize(1));
        PaymentDeclined declined = (PaymentDeclined) published("PaymentDeclined", order.orderId()).get(0).payload();
        assertThat(declined.reason()).isEqualTo("card declined");
        assertThat(declined.amount()).isEqualTo(new BigDecimal("30.00"));
        assertThat(declined.currency()).isEqualTo("EUR");

        JsonNode view = payment(order.orderId());
        assertThat(text(view, "status")).isEqualTo("DECLINED");
        assertThat(text(view, "reason")).isEqualTo("card declined");
        assertThat(text(view, "cardLast4")).as("the provider tells the card's digits with a charge").isNull();
        assertThat(text(view, "declinedAt")).isNotNull();
        assertThat(tokenKept(order.orderId())).isFalse();
        assertThat(published("OrderPayed", order.orderId())).isEmpty();
    }

    @Test
    void remembersAGoAheadThatArrivesBeforeTheOrderAndChargesWhenTheOrderArrives() {
        OrderEvents order = OrderEvents.newOrder();
        EventEnvelope<OrderPlaced> placed = order.placed("SKU-1", 4);
        EventEnvelope<InventoryUpdated> reserved = order.next(reservationOf(order.orderId()));

        send(reserved);
        await().until(() -> "OrderPlaced".equals(waitingFor(order.orderId())));
        assertThat(published("OrderPayed", order.orderId())).isEmpty();
        send(placed);

        await().untilAsserted(() -> assertThat(published("OrderPayed", order.orderId())).hasSize(1));
        EventEnvelope<?> payed = published("OrderPayed", order.orderId()).get(0);
        // the order's arrival completed the join, so it is the cause
        assertThat(payed.causationId()).isEqualTo(placed.eventId());
        assertThat(payed.correlationId()).isEqualTo(order.correlationId());
        assertThat(((OrderPayed) payed.payload()).amount()).isEqualTo(new BigDecimal("40.00"));
        assertThat(text(payment(order.orderId()), "status")).isEqualTo("CHARGED");
    }

    @Test
    void chargesOnceAndPublishesOnceForAnEventDeliveredThreeTimes() {
        OrderEvents order = OrderEvents.newOrder();
        EventEnvelope<OrderPlaced> placed = order.placed("SKU-1", 1);
        EventEnvelope<InventoryUpdated> reserved = order.next(reservationOf(order.orderId()));
        double chargedBefore = paymentsCounted("charged");

        List<RecordMetadata> records = send(placed, placed, placed, reserved, reserved, reserved);
        awaitHandled(records);

        assertThat(published("OrderPayed", order.orderId())).hasSize(1);
        assertThat(paymentsCounted("charged") - chargedBefore).isEqualTo(1.0);
        assertThat(jdbc.sql("SELECT count(*) FROM processed_event WHERE event_id = ?").param(reserved.eventId())
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM payment WHERE order_id = ?").param(order.orderId())
                .query(Long.class).single()).isEqualTo(1);
        assertThat(text(payment(order.orderId()), "status")).isEqualTo("CHARGED");
    }

    @Test
    void retriesAGatewayThatIsAwayUntilItAnswersAndChargesOnce() {
        OrderEvents order = OrderEvents.newOrder();
        EventEnvelope<OrderPlaced> placed = order.placed(List.of(new OrderLine("SKU-1", 1, new BigDecimal("10.00"))),
                FlakyPaymentGateway.FLAKY_TOKEN, "FI");
        EventEnvelope<InventoryUpdated> reserved = order.next(reservationOf(order.orderId()));
        int failedBefore = gateway.failedCharges();
        gateway.failNextCharges(FlakyPaymentGateway.FLAKY_TOKEN, 3);

        List<RecordMetadata> records = send(placed, reserved);
        awaitHandled(records);

        // a transient failure is retried until it passes, never dead-lettered
        assertThat(gateway.failedCharges() - failedBefore).isEqualTo(3);
        assertThat(published("OrderPayed", order.orderId())).hasSize(1);
        assertThat(published("PaymentDeclined", order.orderId())).isEmpty();
        assertThat(kafka.readAll(Topics.deadLetterOf(Topics.INVENTORY_EVENTS)).stream()
                .filter(r -> order.orderId().equals(r.key()))).isEmpty();
        JsonNode view = payment(order.orderId());
        assertThat(text(view, "status")).isEqualTo("CHARGED");
        assertThat(text(view, "cardLast4")).isEqualTo("4444");
        assertThat(jdbc.sql("SELECT count(*) FROM processed_event WHERE event_id = ?").param(reserved.eventId())
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void callsTheGatewayAfterTheCommitSoASlowCallHoldsNeitherTheRowNorTheOtherOrders() throws Exception {
        String slowToken = FlakyPaymentGateway.TEST_TOKEN_PREFIX + "slow";
        CountDownLatch slowGateway = gateway.holdCharges(slowToken);
        OrderEvents slow = OrderEvents.newOrder();
        OrderEvents quick = OrderEvents.newOrder();
        try {
            send(slow.placed(List.of(new OrderLine("SKU-1", 1, new BigDecimal("10.00"))), slowToken, "FI"),
                    slow.next(reservationOf(slow.orderId())));
            await().until(() -> "CHARGING".equals(paymentField(slow.orderId(), "status")));

            // the slow charge is still at the gateway: the next order is charged meanwhile
            send(quick.placed("SKU-1", 1), quick.next(reservationOf(quick.orderId())));
            await().untilAsserted(() -> assertThat(published("OrderPayed", quick.orderId())).hasSize(1));
            assertThat(text(payment(slow.orderId()), "waitingFor")).isEqualTo("payment gateway");
            // and the slow order's row is not locked: another transaction takes its lock at once
            String lockedStatus = transaction.execute(status -> jdbc.sql(
                    "SELECT status FROM payment WHERE order_id = ? FOR UPDATE").param(slow.orderId())
                    .query(String.class).single());
            assertThat(lockedStatus).isEqualTo("CHARGING");
        } finally {
            slowGateway.countDown();
        }
        await().untilAsserted(() -> assertThat(published("OrderPayed", slow.orderId())).hasSize(1));
        assertThat(gateway.callsInsideATransaction()).as("gateway calls made while holding a transaction").isZero();
    }

    @Test
    void asksAgainWhenTheGatewaysAnswerWasLostAndChargesOnce() {
        String token = FlakyPaymentGateway.TEST_TOKEN_PREFIX + "lost_answers";
        gateway.loseNextAnswers(token, 2);
        OrderEvents order = OrderEvents.newOrder();

        List<RecordMetadata> records = send(
                order.placed(List.of(new OrderLine("SKU-1", 1, new BigDecimal("10.00"))), token, "FI"),
                order.next(reservationOf(order.orderId())));
        awaitHandled(records);

        assertThat(published("OrderPayed", order.orderId())).hasSize(1);
        String paymentId = text(payment(order.orderId()), "paymentId");
        // the provider charged on the first call; asked again with the same key, it gave back that charge
        assertThat(gateway.lostAnswers()).containsKey(paymentId);
        ChargeResult.Charged first = (ChargeResult.Charged) gateway.lostAnswers().get(paymentId);
        assertThat(jdbc.sql("SELECT charge_reference FROM payment WHERE order_id = ?").param(order.orderId())
                .query(String.class).single()).isEqualTo(first.reference());
        assertThat(kafka.readAll(Topics.deadLetterOf(Topics.INVENTORY_EVENTS)).stream()
                .filter(r -> order.orderId().equals(r.key()))).isEmpty();
    }

    static InventoryUpdated reservationOf(String orderId) {
        return new InventoryUpdated(orderId, "res-" + orderId, List.of(new ReservedLine("SKU-1", 1)));
    }

    private String waitingFor(String orderId) {
        return paymentField(orderId, "waitingFor");
    }

    private boolean tokenKept(String orderId) {
        return jdbc.sql("SELECT payment_token IS NOT NULL FROM payment WHERE order_id = ?").param(orderId)
                .query(Boolean.class).single();
    }
}
