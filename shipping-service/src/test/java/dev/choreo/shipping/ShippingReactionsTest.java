package dev.choreo.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventJson;
import dev.choreo.events.Topics;
import dev.choreo.events.order.OrderCancelled;
import dev.choreo.events.order.OrderLine;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.payment.OrderPayed;
import dev.choreo.events.shipping.OrderShipped;
import dev.choreo.events.shipping.ShippingFailed;
import dev.choreo.messaging.kafka.DeadLetterReason;
import dev.choreo.messaging.test.KafkaTestClient;
import dev.choreo.messaging.test.OrderEvents;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Each reaction of shipping in the choreography, driven through Kafka and checked on Kafka, HTTP and SQL. */
class ShippingReactionsTest extends ShippingIntegrationTest {

    @Test
    void shipsAPaidOrderToTheAddressItWasPlacedWith() {
        OrderEvents order = OrderEvents.newOrder();
        kafka.send(placed(order, "FI"));
        await().untilAsserted(() -> assertThat(shipment(order.orderId()).get("status").asString())
                .isEqualTo("AWAITING_PAYMENT"));

        EventEnvelope<OrderPayed> payed = order.next(payed(order));
        kafka.send(payed);

        await().untilAsserted(() -> assertThat(shippingEvents("OrderShipped", order.orderId())).hasSize(1));
        EventEnvelope<?> shipped = shippingEvents("OrderShipped", order.orderId()).get(0);
        assertThat(shipped.correlationId()).isEqualTo(order.correlationId());
        assertThat(shipped.causationId()).isEqualTo(payed.eventId());
        assertThat(shipped.producer()).isEqualTo("shipping-service");
        OrderShipped event = (OrderShipped) shipped.payload();
        assertThat(event.shipmentId()).startsWith("shp-");
        assertThat(event.carrier()).isEqualTo("ChoreoPost");
        assertThat(event.trackingNumber()).matches("CP[0-9A-F]{12}");
        assertThat(event.country()).isEqualTo("FI");

        JsonNode shipment = shipment(order.orderId());
        assertThat(shipment.get("status").asString()).isEqualTo("SHIPPED");
        assertThat(shipment.get("shipmentId").asString()).isEqualTo(event.shipmentId());
        assertThat(shipment.get("carrier").asString()).isEqualTo("ChoreoPost");
        assertThat(shipment.get("trackingNumber").asString()).isEqualTo(event.trackingNumber());
        assertThat(shipment.get("address").get("name").asString()).isEqualTo("Ada Lovelace");
        assertThat(shipment.get("address").get("city").asString()).isEqualTo("Helsinki");
        assertThat(shipment.get("address").get("country").asString()).isEqualTo("FI");
        assertThat(shipment.get("updatedAt").asString()).as("ISO-8601").matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void shipsWhenThePaymentArrivesBeforeTheAddress() {
        OrderEvents order = OrderEvents.newOrder();
        EventEnvelope<OrderPlaced> placed = placed(order, "SE");
        EventEnvelope<OrderPayed> payed = order.next(payed(order));
        kafka.send(payed);
        await().untilAsserted(() -> assertThat(shipment(order.orderId()).get("status").asString())
                .isEqualTo("AWAITING_ADDRESS"));
        assertThat(shippingEvents("OrderShipped", order.orderId())).isEmpty();

        kafka.send(placed);

        await().untilAsserted(() -> assertThat(shippingEvents("OrderShipped", order.orderId())).singleElement()
                .satisfies(shipped -> {
                    assertThat(shipped.causationId()).as("answers the payment").isEqualTo(payed.eventId());
                    assertThat(((OrderShipped) shipped.payload()).country()).isEqualTo("SE");
                }));
        assertThat(shipment(order.orderId()).get("status").asString()).isEqualTo("SHIPPED");
    }

    @Test
    void failsTheShipmentOfAnOrderBoundWhereNoCarrierDelivers() {
        OrderEvents order = OrderEvents.newOrder();
        kafka.send(placed(order, "AQ"));
        EventEnvelope<OrderPayed> payed = order.next(payed(order));
        kafka.send(payed);

        await().untilAsserted(() -> assertThat(shippingEvents("ShippingFailed", order.orderId())).singleElement()
                .satisfies(failed -> {
                    assertThat(failed.payload()).isEqualTo(new ShippingFailed(order.orderId(),
                            "no carrier delivers to AQ"));
                    assertThat(failed.correlationId()).isEqualTo(order.correlationId());
                    assertThat(failed.causationId()).isEqualTo(payed.eventId());
                }));
        JsonNode shipment = shipment(order.orderId());
        assertThat(shipment.get("status").asString()).isEqualTo("FAILED");
        assertThat(shipment.get("failureReason").asString()).isEqualTo("no carrier delivers to AQ");
        assertThat(shipment.get("trackingNumber").isNull()).isTrue();
        assertThat(shippingEvents("OrderShipped", order.orderId())).isEmpty();
    }

    @Test
    void refusesThePaymentOfAnOrderCancelledBeforeItWasPaid() {
        OrderEvents order = OrderEvents.newOrder();
        kafka.send(placed(order, "FI"));
        kafka.send(order.next(new OrderCancelled(order.orderId(), "customer changed their mind", "customer")));
        await().untilAsserted(() -> assertThat(shipment(order.orderId()).get("status").asString())
                .isEqualTo("CANCELLED"));
        assertThat(kafka.readAll(Topics.SHIPPING_EVENTS)).noneMatch(r -> r.key().equals(order.orderId()));

        EventEnvelope<OrderPayed> late = order.next(payed(order));
        kafka.send(late);

        await().untilAsserted(() -> assertThat(shippingEvents("ShippingFailed", order.orderId())).singleElement()
                .satisfies(failed -> {
                    assertThat(failed.payload()).isEqualTo(new ShippingFailed(order.orderId(),
                            "order cancelled: customer changed their mind"));
                    assertThat(failed.causationId()).isEqualTo(late.eventId());
                }));
        JsonNode shipment = shipment(order.orderId());
        assertThat(shipment.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(shipment.get("cancellationReason").asString()).isEqualTo("customer changed their mind");
        assertThat(shipment.get("shipmentId").isNull()).isTrue();
        assertThat(shippingEvents("OrderShipped", order.orderId())).isEmpty();
    }

    @Test
    void withdrawsAPaidShipmentWhenTheCancellationArrivesBeforeItShipped() {
        OrderEvents order = OrderEvents.newOrder();
        EventEnvelope<OrderPlaced> placed = placed(order, "FI");
        kafka.send(order.next(payed(order)));
        await().untilAsserted(() -> assertThat(shipment(order.orderId()).get("status").asString())
                .isEqualTo("AWAITING_ADDRESS"));

        EventEnvelope<OrderCancelled> cancel = order.next(new OrderCancelled(order.orderId(), "operator", "operator"));
        kafka.send(cancel);

        await().untilAsserted(() -> assertThat(shippingEvents("ShippingFailed", order.orderId())).singleElement()
                .satisfies(failed -> assertThat(failed.causationId()).isEqualTo(cancel.eventId())));
        RecordMetadata lateAddress = kafka.send(placed);
        awaitConsumed(lateAddress);
        assertThat(shipment(order.orderId()).get("status").asString()).isEqualTo("CANCELLED");
        assertThat(shippingEvents("OrderShipped", order.orderId())).isEmpty();
    }

    @Test
    void remembersACancellationThatArrivesBeforeTheOrderItself() {
        OrderEvents order = OrderEvents.newOrder();
        EventEnvelope<OrderPlaced> placed = placed(order, "FI");
        kafka.send(order.next(new OrderCancelled(order.orderId(), "timed out", "tracing-collector")));
        await().untilAsserted(() -> assertThat(shipment(order.orderId()).get("status").asString())
                .isEqualTo("CANCELLED"));

        kafka.send(placed);
        RecordMetadata late = kafka.send(order.next(payed(order)));
        awaitConsumed(late);
        await().untilAsserted(() -> assertThat(shipment(order.orderId()).get("address").isNull()).isFalse());

        assertThat(shipment(order.orderId()).get("status").asString()).isEqualTo("CANCELLED");
        assertThat(shippingEvents("ShippingFailed", order.orderId())).hasSize(1);
        assertThat(shippingEvents("OrderShipped", order.orderId())).isEmpty();
    }

    @Test
    void aCancellationThatCrossesTheShipmentLeavesItShipped() {
        OrderEvents order = OrderEvents.newOrder();
        kafka.send(placed(order, "FI"));
        kafka.send(order.next(payed(order)));
        await().untilAsserted(() -> assertThat(shipment(order.orderId()).get("status").asString())
                .isEqualTo("SHIPPED"));

        RecordMetadata cancel = kafka.send(order.next(new OrderCancelled(order.orderId(), "too late", "operator")));
        awaitConsumed(cancel);

        assertThat(shipment(order.orderId()).get("status").asString()).isEqualTo("SHIPPED");
    }

    @Test
    void handlesExactDuplicatesOnce() {
        OrderEvents order = OrderEvents.newOrder();
        EventEnvelope<OrderPlaced> placed = placed(order, "FI");
        EventEnvelope<OrderPayed> payed = order.next(payed(order));
        for (int i = 0; i < 3; i++) {
            kafka.send(placed);
        }
        RecordMetadata last = null;
        for (int i = 0; i < 3; i++) {
            last = kafka.send(payed);
        }
        awaitConsumed(last);

        await().untilAsserted(() -> assertThat(shippingEvents("OrderShipped", order.orderId())).hasSize(1));
        assertThat(jdbc.sql("SELECT count(*) FROM shipment WHERE order_id = ? AND shipment_id IS NOT NULL")
                .param(order.orderId()).query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM processed_event WHERE event_id = ?")
                .param(payed.eventId()).query(Long.class).single()).isEqualTo(1);
        // the outbox is drained: nothing more is on its way
        await().untilAsserted(() -> assertThat(jdbc.sql("SELECT count(*) FROM outbox_record")
                .query(Long.class).single()).isZero());
        assertThat(shippingEvents("OrderShipped", order.orderId())).hasSize(1);
    }

    @Test
    void deadLettersPoisonWithItsCauseAndShipsTheOrderBehindIt() {
        OrderEvents order = OrderEvents.newOrder();
        kafka.send(placed(order, "FI"));
        kafka.sendRaw(Topics.PAYMENT_EVENTS, order.orderId(), "{not json".getBytes(StandardCharsets.UTF_8),
                Map.of());
        String negativeAmount = EventJson.writeString(order.next(payed(order)))
                .replace("\"amount\":19.90", "\"amount\":-19.90");
        assertThat(negativeAmount).contains("-19.90");
        kafka.sendRaw(Topics.PAYMENT_EVENTS, order.orderId(), negativeAmount.getBytes(StandardCharsets.UTF_8),
                Map.of());
        kafka.send(order.next(payed(order)));

        // the valid event behind the poison on the same partition (same key) is still handled
        await().untilAsserted(() -> assertThat(shippingEvents("OrderShipped", order.orderId())).hasSize(1));
        await().untilAsserted(() -> assertThat(deadLetters(Topics.PAYMENT_EVENTS, order.orderId()))
                .extracting(r -> KafkaTestClient.header(r, DeadLetterReason.HEADER))
                .containsExactly("MALFORMED_JSON", "INVALID_PAYLOAD"));
        ConsumerRecord<String, byte[]> first = deadLetters(Topics.PAYMENT_EVENTS, order.orderId()).get(0);
        assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(KafkaTestClient.header(first, "kafka_dlt-original-topic")).isEqualTo(Topics.PAYMENT_EVENTS);
        assertThat(KafkaTestClient.header(first, "kafka_dlt-original-consumer-group")).isEqualTo(CONSUMER_GROUP);
    }

    @Test
    void countsShippingOutcomesForPrometheus() {
        OrderEvents order = OrderEvents.newOrder();
        kafka.send(placed(order, "AQ"));
        kafka.send(order.next(payed(order)));
        await().untilAsserted(() -> assertThat(shippingEvents("ShippingFailed", order.orderId())).hasSize(1));

        String metrics = get("/actuator/prometheus").getBody();
        assertThat(metrics).containsPattern("choreo_shipments_total\\{[^}]*outcome=\"failed\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("choreo_shipments_total\\{[^}]*outcome=\"shipped\"[^}]*}");
    }

    private List<ConsumerRecord<String, byte[]>> deadLetters(String topic, String key) {
        return kafka.readAll(Topics.deadLetterOf(topic)).stream().filter(r -> key.equals(r.key())).toList();
    }

    private static EventEnvelope<OrderPlaced> placed(OrderEvents order, String country) {
        return order.placed(List.of(new OrderLine("SKU-1", 2, new BigDecimal("9.95"))),
                OrderEvents.CHARGED_TOKEN, country);
    }

    private static OrderPayed payed(OrderEvents order) {
        return new OrderPayed(order.orderId(), "pay-" + order.orderId(), new BigDecimal("19.90"), "EUR", "4242");
    }
}
