package dev.choreo.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventJson;
import dev.choreo.events.Topics;
import dev.choreo.events.inventory.InventoryRejected;
import dev.choreo.events.inventory.InventoryReleased;
import dev.choreo.events.inventory.ReservedLine;
import dev.choreo.events.notification.CustomerNotified;
import dev.choreo.events.notification.NotificationKind;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.shipping.OrderShipped;
import dev.choreo.messaging.kafka.DeadLetterReason;
import dev.choreo.messaging.test.KafkaTestClient;
import dev.choreo.messaging.test.OrderEvents;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Each reaction of notification in the choreography, driven through Kafka and checked on Kafka, HTTP and SQL. */
class NotificationReactionsTest extends NotificationIntegrationTest {

    @Test
    void tellsTheCustomerTheirOrderIsOnItsWay() {
        OrderEvents order = OrderEvents.newOrder();
        kafka.send(order.placed("SKU-1", 1));
        EventEnvelope<OrderShipped> shipped = order.next(shipped(order));
        kafka.send(shipped);

        await().untilAsserted(() -> assertThat(customerNotified(order.orderId())).hasSize(1));
        EventEnvelope<?> notified = customerNotified(order.orderId()).get(0);
        CustomerNotified event = (CustomerNotified) notified.payload();
        assertThat(event.kind()).isEqualTo(NotificationKind.ORDER_COMPLETED);
        assertThat(event.customerId()).isEqualTo("c-42");
        assertThat(event.channel()).isEqualTo(RecordingChannel.NAME);
        assertThat(event.notificationId()).startsWith("ntf-");
        assertThat(notified.correlationId()).isEqualTo(order.correlationId());
        assertThat(notified.causationId()).isEqualTo(shipped.eventId());
        assertThat(notified.producer()).isEqualTo("notification-service");

        JsonNode notification = json(get("/notifications/{id}", event.notificationId()));
        assertThat(notification.get("orderId").asString()).isEqualTo(order.orderId());
        assertThat(notification.get("kind").asString()).isEqualTo("ORDER_COMPLETED");
        assertThat(notification.get("channel").asString()).isEqualTo(RecordingChannel.NAME);
        assertThat(notification.get("status").asString()).isEqualTo("SENT");
        assertThat(notification.get("customerId").asString()).isEqualTo("c-42");
        assertThat(notification.get("subject").asString()).contains(order.orderId());
        assertThat(notification.get("message").asString()).contains("ChoreoPost", "CP0123456789AB",
                "The Choreo Shop");
        assertThat(notification.get("sentAt").asString()).as("ISO-8601").matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void deliversOnlyAfterTheDecisionCommittedAndTriesAgainWhileTheChannelIsAway() {
        channel.failNextDeliveries(2);
        OrderEvents order = OrderEvents.newOrder();
        kafka.send(order.placed("SKU-1", 1));
        kafka.send(order.next(shipped(order)));

        await().untilAsserted(() -> assertThat(customerNotified(order.orderId())).hasSize(1));
        String notificationId = ((CustomerNotified) customerNotified(order.orderId()).get(0).payload())
                .notificationId();
        List<RecordingChannel.Attempt> attempts = channel.attemptsOf(notificationId);
        // two attempts met the channel away, the third delivered; CustomerNotified only after that one
        assertThat(attempts).extracting(RecordingChannel.Attempt::failed).containsExactly(true, true, false);
        assertThat(attempts).allSatisfy(attempt -> {
            assertThat(attempt.insideTransaction()).as("delivered inside a transaction").isFalse();
            assertThat(attempt.committedStatus()).as("the decision was committed before delivery").isEqualTo("DUE");
        });
        assertThat(json(get("/notifications/{id}", notificationId)).get("status").asString()).isEqualTo("SENT");
    }

    @Test
    void tellsTheCustomerTheOrderWasRejected() {
        OrderEvents order = OrderEvents.newOrder();
        kafka.send(order.placed("SKU-EMPTY", 1));
        kafka.send(order.next(new InventoryRejected(order.orderId(), "insufficient stock", List.of("SKU-EMPTY"))));

        await().untilAsserted(() -> assertThat(customerNotified(order.orderId())).singleElement()
                .satisfies(e -> assertThat(((CustomerNotified) e.payload()).kind())
                        .isEqualTo(NotificationKind.ORDER_REJECTED)));
        JsonNode notification = notificationsOf(order.orderId()).get(0);
        assertThat(notification.get("kind").asString()).isEqualTo("ORDER_REJECTED");
        assertThat(notification.get("message").asString()).contains("insufficient stock", "SKU-EMPTY");
    }

    @Test
    void tellsTheCustomerTheOrderWasCancelled() {
        OrderEvents order = OrderEvents.newOrder();
        kafka.send(order.placed("SKU-1", 2));
        kafka.send(order.next(released(order, "payment declined")));

        await().untilAsserted(() -> assertThat(customerNotified(order.orderId())).singleElement()
                .satisfies(e -> assertThat(((CustomerNotified) e.payload()).kind())
                        .isEqualTo(NotificationKind.ORDER_CANCELLED)));
        JsonNode notification = notificationsOf(order.orderId()).get(0);
        assertThat(notification.get("kind").asString()).isEqualTo("ORDER_CANCELLED");
        assertThat(notification.get("message").asString()).contains("payment declined");
    }

    @Test
    void holdsTheNotificationUntilOrderPlacedNamesTheCustomer() {
        OrderEvents order = OrderEvents.newOrder();
        EventEnvelope<OrderPlaced> placed = order.placed("SKU-1", 1);
        EventEnvelope<InventoryReleased> released = order.next(released(order, "order cancelled"));
        RecordMetadata early = kafka.send(released);
        awaitConsumed(early);

        JsonNode held = notificationsOf(order.orderId());
        assertThat(held).hasSize(1);
        assertThat(held.get(0).get("status").asString()).isEqualTo("HELD");
        assertThat(held.get(0).get("customerId").isNull()).isTrue();
        assertThat(customerNotified(order.orderId())).isEmpty();

        kafka.send(placed);

        await().untilAsserted(() -> assertThat(customerNotified(order.orderId())).singleElement()
                .satisfies(notified -> {
                    assertThat(notified.causationId()).as("answers the release").isEqualTo(released.eventId());
                    assertThat(notified.correlationId()).isEqualTo(order.correlationId());
                    assertThat(((CustomerNotified) notified.payload()).customerId()).isEqualTo("c-42");
                    assertThat(((CustomerNotified) notified.payload()).notificationId())
                            .isEqualTo(held.get(0).get("notificationId").asString());
                }));
        JsonNode sent = notificationsOf(order.orderId()).get(0);
        assertThat(sent.get("status").asString()).isEqualTo("SENT");
        assertThat(sent.get("customerId").asString()).isEqualTo("c-42");
    }

    @Test
    void tellsTheCustomerOnlyOncePerOrderAndKind() {
        OrderEvents order = OrderEvents.newOrder();
        kafka.send(order.placed("SKU-1", 1));
        kafka.send(order.next(shipped(order)));
        // the same fact again under a new event id (e.g. re-published by an operator's re-drive)
        RecordMetadata again = kafka.send(order.next(shipped(order)));
        awaitConsumed(again);

        await().untilAsserted(() -> assertThat(customerNotified(order.orderId())).hasSize(1));
        assertThat(notificationsOf(order.orderId())).hasSize(1);
    }

    @Test
    void handlesExactDuplicatesOnce() {
        OrderEvents order = OrderEvents.newOrder();
        EventEnvelope<OrderPlaced> placed = order.placed("SKU-1", 1);
        EventEnvelope<InventoryRejected> rejected = order.next(
                new InventoryRejected(order.orderId(), "insufficient stock", List.of("SKU-1")));
        RecordMetadata last = null;
        for (int i = 0; i < 3; i++) {
            kafka.send(placed);
            last = kafka.send(rejected);
        }
        awaitConsumed(last);

        await().untilAsserted(() -> assertThat(customerNotified(order.orderId())).hasSize(1));
        assertThat(jdbc.sql("SELECT count(*) FROM notification WHERE order_id = ?").param(order.orderId())
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM processed_event WHERE event_id = ?").param(rejected.eventId())
                .query(Long.class).single()).isEqualTo(1);
        // the outbox is drained: nothing more is on its way
        await().untilAsserted(() -> assertThat(jdbc.sql("SELECT count(*) FROM outbox_record")
                .query(Long.class).single()).isZero());
        assertThat(customerNotified(order.orderId())).hasSize(1);
    }

    @Test
    void deadLettersPoisonIgnoresATypeItDoesNotKnowAndNotifiesForTheEventBehindIt() {
        OrderEvents order = OrderEvents.newOrder();
        kafka.send(order.placed("SKU-1", 1));
        kafka.sendRaw(Topics.INVENTORY_EVENTS, order.orderId(), "{not json".getBytes(StandardCharsets.UTF_8),
                Map.of());
        String unknownType = EventJson.writeString(order.next(released(order, "x")))
                .replace("\"InventoryReleased\"", "\"InventoryTeleported\"");
        kafka.sendRaw(Topics.INVENTORY_EVENTS, order.orderId(), unknownType.getBytes(StandardCharsets.UTF_8),
                Map.of());
        kafka.send(order.next(released(order, "payment declined")));

        // the valid event behind the poison on the same partition (same key) is still handled
        await().untilAsserted(() -> assertThat(customerNotified(order.orderId())).hasSize(1));
        await().untilAsserted(() -> assertThat(deadLetters(Topics.INVENTORY_EVENTS, order.orderId()))
                .extracting(r -> KafkaTestClient.header(r, DeadLetterReason.HEADER))
                .as("a type notification does not react to is ignored, not dead-lettered: another group may read it")
                .containsExactly("MALFORMED_JSON"));
        ConsumerRecord<String, byte[]> first = deadLetters(Topics.INVENTORY_EVENTS, order.orderId()).get(0);
        assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(KafkaTestClient.header(first, "kafka_dlt-original-topic")).isEqualTo(Topics.INVENTORY_EVENTS);
        assertThat(KafkaTestClient.header(first, "kafka_dlt-original-consumer-group")).isEqualTo(CONSUMER_GROUP);
    }

    @Test
    void countsNotificationsByKindForPrometheus() {
        OrderEvents order = OrderEvents.newOrder();
        kafka.send(order.placed("SKU-1", 1));
        kafka.send(order.next(shipped(order)));
        await().untilAsserted(() -> assertThat(customerNotified(order.orderId())).hasSize(1));

        String metrics = get("/actuator/prometheus").getBody();
        assertThat(metrics).containsPattern("choreo_notifications_total\\{[^}]*kind=\"ORDER_COMPLETED\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("choreo_notifications_total\\{[^}]*kind=\"ORDER_REJECTED\"[^}]*}");
        assertThat(metrics).containsPattern("choreo_notifications_total\\{[^}]*kind=\"ORDER_CANCELLED\"[^}]*}");
    }

    private List<ConsumerRecord<String, byte[]>> deadLetters(String topic, String key) {
        return kafka.readAll(Topics.deadLetterOf(topic)).stream().filter(r -> key.equals(r.key())).toList();
    }

    private static OrderShipped shipped(OrderEvents order) {
        return new OrderShipped(order.orderId(), "shp-" + order.orderId(), "ChoreoPost", "CP0123456789AB", "FI");
    }

    private static InventoryReleased released(OrderEvents order, String reason) {
        return new InventoryReleased(order.orderId(), reason, List.of(new ReservedLine("SKU-1", 1)));
    }
}
