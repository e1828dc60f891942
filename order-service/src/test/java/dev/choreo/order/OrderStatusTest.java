package dev.choreo.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.inventory.InventoryRejected;
import dev.choreo.events.inventory.InventoryReleased;
import dev.choreo.events.inventory.InventoryUpdated;
import dev.choreo.events.inventory.ReservedLine;
import dev.choreo.events.notification.CustomerNotified;
import dev.choreo.events.notification.NotificationKind;
import dev.choreo.events.payment.OrderPayed;
import dev.choreo.events.payment.PaymentDeclined;
import dev.choreo.events.payment.PaymentRefunded;
import dev.choreo.events.shipping.OrderShipped;
import dev.choreo.events.shipping.ShippingFailed;
import dev.choreo.messaging.test.OrderEvents;
import java.math.BigDecimal;
import java.util.List;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The order's status follows the other services' events, raw-produced here as they would publish them: forward
 * only, terminal states final, every event once in the history, whichever order the topics deliver them in.
 */
class OrderStatusTest extends OrderServiceIntegrationTest {

    static final String SKU = "SKU-STATUS";

    String orderId;
    OrderEvents process;

    @BeforeEach
    void placeAnOrder() {
        catalogue(SKU, "5.00");
        orderId = placedOrder("c-status", SKU).get("orderId").asString();
        process = OrderEvents.forOrder(orderId);
    }

    @Test
    void followsTheHappyPathToCompleted() {
        kafka.send(reserved());
        await().untilAsserted(() -> assertThat(status(orderId)).isEqualTo("RESERVED"));
        kafka.send(payed());
        await().untilAsserted(() -> assertThat(status(orderId)).isEqualTo("PAID"));
        kafka.send(shipped());
        await().untilAsserted(() -> assertThat(status(orderId)).isEqualTo("SHIPPED"));
        kafka.send(notified(NotificationKind.ORDER_COMPLETED));
        await().untilAsserted(() -> assertThat(status(orderId)).isEqualTo("COMPLETED"));

        JsonNode order = order(orderId);
        assertThat(order.get("history").valueStream().map(e -> e.get("eventType").asString() + ":"
                + e.get("status").asString())).containsExactly("OrderPlaced:PLACED", "InventoryUpdated:RESERVED",
                "OrderPayed:PAID", "OrderShipped:SHIPPED", "CustomerNotified:COMPLETED");
        assertThat(order.get("history").get(2).get("detail").asString()).contains("5.00 EUR", "4242");
        assertThat(order.get("updatedAt").asString()).isGreaterThan(order.get("createdAt").asString());
    }

    @Test
    void aLateEventNeverMovesTheStatusBack() {
        // the end event first: notification-events is read independently of shipping-events and the others
        EventEnvelope<?> reserved = reserved();
        EventEnvelope<?> payed = payed();
        EventEnvelope<?> shipped = shipped();
        kafka.send(notified(NotificationKind.ORDER_COMPLETED));
        await().untilAsserted(() -> assertThat(status(orderId)).isEqualTo("COMPLETED"));

        kafka.send(shipped);
        kafka.send(payed);
        kafka.send(reserved);

        await().untilAsserted(() -> assertThat(history(orderId)).containsExactlyInAnyOrder("OrderPlaced",
                "CustomerNotified", "OrderShipped", "OrderPayed", "InventoryUpdated"));
        assertThat(status(orderId)).isEqualTo("COMPLETED");
        assertThat(order(orderId).get("history").valueStream().skip(1).map(e -> e.get("status").asString()))
                .containsOnly("COMPLETED");
    }

    @Test
    void skipsAStepWhoseEventIsLate() {
        kafka.send(payed());
        await().untilAsserted(() -> assertThat(status(orderId)).isEqualTo("PAID"));

        kafka.send(reserved());

        await().untilAsserted(() -> assertThat(history(orderId)).contains("InventoryUpdated"));
        assertThat(status(orderId)).isEqualTo("PAID");
    }

    @Test
    void anOrderInventoryCannotServeIsRejectedForGood() {
        kafka.send(process.next(new InventoryRejected(orderId, "out of stock", List.of(SKU))));
        await().untilAsserted(() -> assertThat(status(orderId)).isEqualTo("REJECTED"));
        assertThat(order(orderId).get("history").get(1).get("detail").asString())
                .contains("out of stock", SKU);

        kafka.send(notified(NotificationKind.ORDER_REJECTED));
        // even a (wrong) later step does not revive a terminal order
        kafka.send(reserved());

        // (the two topics are read independently: either may be recorded first)
        await().untilAsserted(() -> assertThat(history(orderId)).containsExactlyInAnyOrder("OrderPlaced",
                "InventoryRejected", "CustomerNotified", "InventoryUpdated"));
        assertThat(status(orderId)).isEqualTo("REJECTED");
    }

    @Test
    void aDeclinedPaymentEndsCancelledOnceTheStockIsReleased() {
        kafka.send(reserved());
        await().untilAsserted(() -> assertThat(status(orderId)).isEqualTo("RESERVED"));
        kafka.send(process.next(new PaymentDeclined(orderId, "pay-" + orderId, new BigDecimal("5.00"), "EUR",
                "card declined")));
        await().untilAsserted(() -> assertThat(history(orderId)).contains("PaymentDeclined"));
        // the failure alone ends nothing: its compensation does
        assertThat(status(orderId)).isEqualTo("RESERVED");

        kafka.send(process.next(new InventoryReleased(orderId, "payment declined", List.of(new ReservedLine(SKU, 1)))));
        await().untilAsserted(() -> assertThat(status(orderId)).isEqualTo("CANCELLED"));
        kafka.send(notified(NotificationKind.ORDER_CANCELLED));
        await().untilAsserted(() -> assertThat(history(orderId)).containsExactly("OrderPlaced", "InventoryUpdated",
                "PaymentDeclined", "InventoryReleased", "CustomerNotified"));
        assertThat(status(orderId)).isEqualTo("CANCELLED");
    }

    @Test
    void aShipmentThatCannotBeMadeEndsCancelledAfterRefundAndRelease() {
        kafka.send(reserved());
        kafka.send(payed());
        await().untilAsserted(() -> assertThat(status(orderId)).isEqualTo("PAID"));
        kafka.send(process.next(new ShippingFailed(orderId, "no carrier serves AQ")));
        kafka.send(process.next(new PaymentRefunded(orderId, "pay-" + orderId, new BigDecimal("5.00"), "EUR",
                "shipping failed")));
        await().untilAsserted(() -> assertThat(history(orderId)).contains("ShippingFailed", "PaymentRefunded"));
        assertThat(status(orderId)).isEqualTo("PAID");

        kafka.send(process.next(new InventoryReleased(orderId, "shipping failed", List.of(new ReservedLine(SKU, 1)))));

        await().untilAsserted(() -> assertThat(status(orderId)).isEqualTo("CANCELLED"));
    }

    @Test
    void anExactDuplicateIsRecordedOnce() {
        EventEnvelope<?> reserved = reserved();
        kafka.send(reserved);
        kafka.send(reserved);
        RecordMetadata third = kafka.send(reserved);

        awaitConsumed(third);

        assertThat(history(orderId)).containsExactly("OrderPlaced", "InventoryUpdated");
        assertThat(status(orderId)).isEqualTo("RESERVED");
        assertThat(jdbc.sql("SELECT count(*) FROM processed_event WHERE event_id = ?").param(reserved.eventId())
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void countsTheOrdersThatEnded() {
        kafka.send(process.next(new InventoryRejected(orderId, "out of stock", List.of(SKU))));
        await().untilAsserted(() -> assertThat(status(orderId)).isEqualTo("REJECTED"));

        await().untilAsserted(() -> assertThat(get("/actuator/prometheus").getBody())
                .containsPattern("choreo_orders_ended_total\\{[^}]*status=\"REJECTED\"[^}]*} [1-9]"));
    }

    private EventEnvelope<InventoryUpdated> reserved() {
        return process.next(new InventoryUpdated(orderId, "res-" + orderId, List.of(new ReservedLine(SKU, 1))));
    }

    private EventEnvelope<OrderPayed> payed() {
        return process.next(new OrderPayed(orderId, "pay-" + orderId, new BigDecimal("5.00"), "EUR", "4242"));
    }

    private EventEnvelope<OrderShipped> shipped() {
        return process.next(new OrderShipped(orderId, "shp-" + orderId, "ChoreoPost", "CP123", "FI"));
    }

    private EventEnvelope<CustomerNotified> notified(NotificationKind kind) {
        return process.next(new CustomerNotified(orderId, "c-status", "ntf-" + kind, kind, "email"));
    }
}
