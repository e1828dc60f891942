package dev.choreo.payment;

import static dev.choreo.payment.ChargingTest.reservationOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import dev.choreo.events.inventory.InventoryUpdated;
import dev.choreo.events.order.OrderCancelled;
import dev.choreo.events.order.OrderLine;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.payment.OrderPayed;
import dev.choreo.events.payment.PaymentDeclined;
import dev.choreo.events.payment.PaymentRefunded;
import dev.choreo.events.shipping.ShippingFailed;
import dev.choreo.messaging.test.OrderEvents;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** ShippingFailed and OrderCancelled: refund a charge (once), or void the payment so nothing is charged. */
class CompensationTest extends PaymentServiceIntegration {

    @Autowired
    FlakyPaymentGateway gateway;

    @Test
    void refundsTheChargeWhenShippingFails() {
        OrderEvents order = OrderEvents.newOrder();
        OrderPayed payed = charged(order);

        EventEnvelope<ShippingFailed> failed = order.next(new ShippingFailed(order.orderId(), "country AQ not served"));
        send(failed);

        await().untilAsserted(() -> assertThat(published("PaymentRefunded", order.orderId())).hasSize(1));
        EventEnvelope<?> refunded = published("PaymentRefunded", order.orderId()).get(0);
        assertThat(refunded.causationId()).isEqualTo(failed.eventId());
        assertThat(refunded.correlationId()).isEqualTo(order.correlationId());
        PaymentRefunded refund = (PaymentRefunded) refunded.payload();
        assertThat(refund.paymentId()).isEqualTo(payed.paymentId());
        assertThat(refund.amount()).isEqualTo(payed.amount());
        assertThat(refund.currency()).isEqualTo("EUR");
        assertThat(refund.reason()).isEqualTo("shipping failed: country AQ not served");

        JsonNode view = payment(order.orderId());
        assertThat(text(view, "status")).isEqualTo("REFUNDED");
        assertThat(text(view, "refundedAt")).isNotNull();
        assertThat(text(view, "chargedAt")).isNotNull();
    }

    @Test
    void leavesACancelledChargeToShippingsDecision() {
        OrderEvents order = OrderEvents.newOrder();
        charged(order);

        awaitHandled(send(order.next(new OrderCancelled(order.orderId(), "customer changed their mind", "customer"))));

        // the parcel may already be on its way: only shipping's ShippingFailed brings a refund
        assertThat(published("PaymentRefunded", order.orderId())).isEmpty();
        assertThat(text(payment(order.orderId()), "status")).isEqualTo("CHARGED");
    }

    @Test
    void refundsOnlyOnceWhenShippingFailsAndTheOrderIsCancelledToo() {
        OrderEvents order = OrderEvents.newOrder();
        charged(order);
        double refundedBefore = paymentsCounted("refunded");

        List<RecordMetadata> records = send(
                order.next(new ShippingFailed(order.orderId(), "country AQ not served")),
                order.next(new OrderCancelled(order.orderId(), "stuck in shipping", "operator")));
        awaitHandled(records);

        assertThat(published("PaymentRefunded", order.orderId())).hasSize(1);
        assertThat(paymentsCounted("refunded") - refundedBefore).isEqualTo(1.0);
        assertThat(text(payment(order.orderId()), "status")).isEqualTo("REFUNDED");
    }

    @Test
    void refundsOnceWhenTheCancellationComesBeforeShippingFails() {
        OrderEvents order = OrderEvents.newOrder();
        charged(order);

        awaitHandled(send(order.next(new OrderCancelled(order.orderId(), "customer changed their mind", "customer")),
                order.next(new ShippingFailed(order.orderId(), "order cancelled"))));

        assertThat(published("PaymentRefunded", order.orderId())).hasSize(1);
        assertThat(text(payment(order.orderId()), "status")).isEqualTo("REFUNDED");
    }

    @Test
    void aCancellationWhileTheChargeIsAtTheGatewayLeavesTheChargeToShippingsDecision() {
        String token = FlakyPaymentGateway.TEST_TOKEN_PREFIX + "held_then_cancelled";
        CountDownLatch gatewayThinking = gateway.holdCharges(token);
        OrderEvents order = OrderEvents.newOrder();
        try {
            send(order.placed(List.of(new OrderLine("SKU-1", 1, BigDecimal.TEN)), token, "FI"),
                    order.next(reservationOf(order.orderId())));
            await().until(() -> "CHARGING".equals(paymentField(order.orderId(), "status")));
            // handled while the gateway holds the charge: the money may be taken, so nothing is voided
            List<RecordMetadata> cancelled = send(order.next(new OrderCancelled(order.orderId(), "customer",
                    "customer")));
            await().untilAsserted(() -> kafka.assertConsumed(consumerGroup, cancelled));
        } finally {
            gatewayThinking.countDown();
        }
        await().untilAsserted(() -> assertThat(published("OrderPayed", order.orderId())).hasSize(1));
        assertThat(published("PaymentDeclined", order.orderId())).isEmpty();
        assertThat(text(payment(order.orderId()), "status")).isEqualTo("CHARGED");
    }

    @Test
    void aRefundThatOvertakesTheAnswerOfItsChargeWaitsForItAndIsNeverDeadLettered() {
        String token = FlakyPaymentGateway.TEST_TOKEN_PREFIX + "held_then_shipping_failed";
        CountDownLatch gatewayThinking = gateway.holdCharges(token);
        OrderEvents order = OrderEvents.newOrder();
        RecordMetadata shippingFailed;
        try {
            send(order.placed(List.of(new OrderLine("SKU-1", 1, BigDecimal.TEN)), token, "FI"),
                    order.next(reservationOf(order.orderId())));
            await().until(() -> "CHARGING".equals(paymentField(order.orderId(), "status")));
            // a re-drive of an old ShippingFailed, say: it must neither refund nothing nor be dead-lettered
            shippingFailed = send(order.next(new ShippingFailed(order.orderId(), "country AQ not served"))).get(0);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> "CHARGING".equals(paymentField(order.orderId(), "status")));
        } finally {
            gatewayThinking.countDown();
        }
        awaitHandled(List.of(shippingFailed));
        assertThat(published("OrderPayed", order.orderId())).hasSize(1);
        assertThat(published("PaymentRefunded", order.orderId())).hasSize(1);
        assertThat(text(payment(order.orderId()), "status")).isEqualTo("REFUNDED");
        assertThat(kafka.readAll(Topics.deadLetterOf(Topics.SHIPPING_EVENTS)).stream()
                .filter(r -> order.orderId().equals(r.key()))).isEmpty();
    }

    @Test
    void chargesNothingForAnOrderCancelledBeforeInventorysGoAhead() {
        OrderEvents order = OrderEvents.newOrder();
        EventEnvelope<OrderPlaced> placed = order.placed("SKU-1", 2);
        EventEnvelope<OrderCancelled> cancelled = order.next(
                new OrderCancelled(order.orderId(), "payment timed out", "tracing-collector"));
        EventEnvelope<InventoryUpdated> lateGoAhead = order.next(reservationOf(order.orderId()));

        send(placed, cancelled);
        await().until(() -> "CANCELLED".equals(paymentField(order.orderId(), "status")));
        awaitHandled(send(lateGoAhead));

        assertThat(published("OrderPayed", order.orderId())).isEmpty();
        // the void is announced, so inventory releases the stock
        assertThat(published("PaymentDeclined", order.orderId())).singleElement().satisfies(declined -> {
            assertThat(declined.causationId()).isEqualTo(cancelled.eventId());
            assertThat(((PaymentDeclined) declined.payload()).reason()).isEqualTo("order cancelled: payment timed out");
        });
        // nothing was charged, so nothing is refunded
        assertThat(published("PaymentRefunded", order.orderId())).isEmpty();
        JsonNode view = payment(order.orderId());
        assertThat(text(view, "status")).isEqualTo("CANCELLED");
        assertThat(text(view, "reason")).isEqualTo("payment timed out");
        assertThat(text(view, "cancelledAt")).isNotNull();
        assertThat(text(view, "chargedAt")).isNull();
        assertThat(jdbc.sql("SELECT payment_token IS NULL FROM payment WHERE order_id = ?").param(order.orderId())
                .query(Boolean.class).single()).isTrue();
    }

    /**
     * The cancellation overtakes its order, before or after inventory's go-ahead: nothing is charged, and the void is
     * announced once the order is known, so inventory releases and the process ends (it used to stay PLACED).
     */
    @ParameterizedTest(name = "go-ahead {0} the order")
    @ValueSource(strings = {"before", "after"})
    void aCancellationThatOvertakesItsOrderVoidsItOnceTheOrderArrives(String goAhead) {
        OrderEvents order = OrderEvents.newOrder();
        EventEnvelope<OrderPlaced> placed = order.placed("SKU-1", 2);
        EventEnvelope<OrderCancelled> cancelled = order.next(
                new OrderCancelled(order.orderId(), "changed my mind", "customer"));
        EventEnvelope<InventoryUpdated> reserved = order.next(reservationOf(order.orderId()));

        awaitHandled(send(cancelled));
        assertThat(published("PaymentDeclined", order.orderId())).as("the order is not known yet").isEmpty();
        if (goAhead.equals("before")) {
            awaitHandled(send(reserved, placed));
        } else {
            awaitHandled(send(placed, reserved));
        }

        assertThat(published("OrderPayed", order.orderId())).isEmpty();
        assertThat(published("PaymentDeclined", order.orderId())).singleElement().satisfies(declined -> {
            assertThat(declined.causationId()).isEqualTo(placed.eventId());
            assertThat(((PaymentDeclined) declined.payload()).reason()).isEqualTo("order cancelled: changed my mind");
            assertThat(((PaymentDeclined) declined.payload()).amount()).isEqualByComparingTo(placed.payload().total());
        });
        assertThat(text(payment(order.orderId()), "status")).isEqualTo("CANCELLED");
        assertThat(jdbc.sql("SELECT payment_token IS NULL FROM payment WHERE order_id = ?").param(order.orderId())
                .query(Boolean.class).single()).as("no token kept for an order that is never charged").isTrue();
    }

    @Test
    void refundsNothingWhenShippingFailsForAnOrderItNeverCharged() {
        OrderEvents order = OrderEvents.newOrder();
        send(order.placed(List.of(new OrderLine("SKU-1", 1, BigDecimal.TEN)),
                OrderEvents.DECLINED_TOKEN, "FI"), order.next(reservationOf(order.orderId())));
        await().until(() -> "DECLINED".equals(paymentField(order.orderId(), "status")));

        awaitHandled(send(order.next(new ShippingFailed(order.orderId(), "country AQ not served"))));

        assertThat(published("PaymentRefunded", order.orderId())).isEmpty();
        assertThat(text(payment(order.orderId()), "status")).isEqualTo("DECLINED");
    }

    /** Places and reserves the order, and waits until it is charged. */
    private OrderPayed charged(OrderEvents order) {
        send(order.placed("SKU-1", 3), order.next(reservationOf(order.orderId())));
        await().untilAsserted(() -> assertThat(published("OrderPayed", order.orderId())).hasSize(1));
        return (OrderPayed) published("OrderPayed", order.orderId()).get(0).payload();
    }
}
