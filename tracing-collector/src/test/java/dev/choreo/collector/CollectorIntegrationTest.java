package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventHeaders;
import dev.choreo.events.InvalidEventException;
import dev.choreo.events.Topics;
import dev.choreo.events.notification.NotificationKind;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.util.backoff.FixedBackOff;
import tools.jackson.databind.JsonNode;

/**
 * The collector against a real (embedded KRaft) broker, with a test producer standing in for the services and
 * real consumer groups standing in for services that are down, slow or failing. Partitions keep the scenarios
 * apart: the service-down scenarios use partition 0, consumed-but-no-follow-up partition 1, dead letters 2.
 */
class CollectorIntegrationTest extends BrokerBackedTest {

    @Test
    void completedProcessHasItsTimelineWithPositionsAndTraceIds() {
        OrderStory story = CollectorTestSupport.story("ord-complete");
        var placed = OrderStory.record(story.placed(), 1);
        placed.headers().add("traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8));
        RecordMetadata placedAt = services.send(placed);
        publish(1, story.advance(5).reserved(), story.advance(5).paid(), story.advance(5).shipped(),
                story.advance(5).notified("OrderShipped", NotificationKind.ORDER_COMPLETED));

        JsonNode process = awaitOutcome(story, "COMPLETED");
        JsonNode first = process.get("timeline").get(0);
        assertThat(first.get("eventType").asString()).isEqualTo("OrderPlaced");
        assertThat(first.get("producer").asString()).isEqualTo("order-service");
        assertThat(first.get("topic").asString()).isEqualTo("order-events");
        assertThat(first.get("partition").asInt()).isEqualTo(1);
        assertThat(first.get("offset").asLong()).isEqualTo(placedAt.offset());
        assertThat(first.get("traceId").asString()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(process.get("timeline")).hasSize(5);
        assertThat(process.get("steps")).extracting(s -> s.get("state").asString()).containsOnly("DONE");
        assertThat(get("/choreography").get("edges").toString()).contains("\"from\":\"OrderShipped\"",
                "\"to\":\"CustomerNotified\"");
    }

    @Test
    void everyCompensationPathEndsCompensated() {
        OrderStory rejected = CollectorTestSupport.story("ord-rejected");
        publish(1, rejected.placed(), rejected.rejected(),
                rejected.notified("InventoryRejected", NotificationKind.ORDER_REJECTED));
        OrderStory declined = CollectorTestSupport.story("ord-declined");
        publish(1, declined.placed(), declined.reserved(), declined.declined(), declined.released("PaymentDeclined"),
                declined.notified("InventoryReleased", NotificationKind.ORDER_CANCELLED));
        OrderStory unshippable = CollectorTestSupport.story("ord-unshippable");
        publish(1, unshippable.placed(), unshippable.reserved(), unshippable.paid(), unshippable.shippingFailed(),
                unshippable.refunded("ShippingFailed"), unshippable.released("ShippingFailed"),
                unshippable.notified("InventoryReleased", NotificationKind.ORDER_CANCELLED));
        OrderStory cancelled = CollectorTestSupport.story("ord-cancelled");
        publish(1, cancelled.placed(), cancelled.reserved(), cancelled.paid(), cancelled.cancelled(),
                cancelled.shippingFailed(), cancelled.refunded("ShippingFailed"), cancelled.released("ShippingFailed"),
                cancelled.notified("InventoryReleased", NotificationKind.ORDER_CANCELLED));

        for (OrderStory story : List.of(rejected, declined, unshippable, cancelled)) {
            awaitOutcome(story, "COMPENSATED");
        }
    }

    @Test
    void stuckBehindAServiceWithNoLiveConsumersIsServiceDown() {
        OrderStory story = CollectorTestSupport.story("ord-down");
        publish(0, story.placed(), story.reserved());

        JsonNode process = awaitOutcome(story, "STUCK");
        JsonNode diagnosis = process.get("diagnosis");
        assertThat(diagnosis.get("kind").asString()).isEqualTo("SERVICE_DOWN");
        assertThat(diagnosis.get("suspectService").asString()).isEqualTo("payment-service");
        assertThat(diagnosis.get("liveMembers").asInt()).isZero();
        assertThat(diagnosis.get("lag").asLong()).isPositive();
        assertThat(diagnosis.get("summary").asString()).contains("payment-service looks down", "InventoryUpdated");
        assertThat(process.get("stuckOn").get("events").asString()).isEqualTo("OrderPayed | PaymentDeclined");
        assertThat(get("/processes?status=STUCK&limit=100").toString()).contains(story.correlationId);
    }

    @Test
    void stuckBehindALiveButLaggingServiceIsServiceSlow() {
        try (KafkaConsumer<byte[], byte[]> notification = consumer("notification-service")) {
            // a live member of notification-service that reads but never gets as far as committing
            notification.subscribe(List.of(Topics.INVENTORY_EVENTS));
            await().atMost(PATIENCE).until(() -> {
                notification.poll(Duration.ofMillis(100));
                return !notification.assignment().isEmpty();
            });
            OrderStory story = CollectorTestSupport.story("ord-slow");
            publish(2, story.placed(), story.rejected());

            JsonNode diagnosis = awaitOutcome(story, "STUCK").get("diagnosis");
            assertThat(diagnosis.get("kind").asString()).isEqualTo("SERVICE_SLOW");
            assertThat(diagnosis.get("suspectService").asString()).isEqualTo("notification-service");
            assertThat(diagnosis.get("liveMembers").asInt()).isEqualTo(1);
            assertThat(diagnosis.get("summary").asString()).contains("notification-service is slow");
        }
    }

    @Test
    void stuckAfterTheServiceConsumedTheEventIsHandlerFailedOrDropped() {
        OrderStory story = CollectorTestSupport.story("ord-dropped");
        publish(1, story.placed(), story.reserved());
        RecordMetadata paid = services.publish(story.paid(), 1);
        // shipping-service read OrderPayed and committed past it, then published nothing
        try (KafkaConsumer<byte[], byte[]> shipping = consumer("shipping-service")) {
            TopicPartition tp = new TopicPartition(Topics.PAYMENT_EVENTS, 1);
            shipping.assign(List.of(tp));
            shipping.commitSync(Map.of(tp, new OffsetAndMetadata(paid.offset() + 1)));
        }

        JsonNode diagnosis = awaitOutcome(story, "STUCK").get("diagnosis");
        assertThat(diagnosis.get("kind").asString()).isEqualTo("HANDLER_FAILED_OR_DROPPED");
        assertThat(diagnosis.get("suspectService").asString()).isEqualTo("shipping-service");
        assertThat(diagnosis.get("committedOffset").asLong()).isEqualTo(paid.offset() + 1);
    }

    @Test
    void deadLetteredEventFailsTheProcessWithTheCauseAndTheGroupThatGaveUp() throws Exception {
        OrderStory story = CollectorTestSupport.story("ord-poison");
        ConcurrentMessageListenerContainer<byte[], byte[]> inventory = failingInventoryService(story.orderId);
        inventory.start();
        try {
            publish(2, story.placed());
            JsonNode process = awaitOutcome(story, "FAILED");
            JsonNode diagnosis = process.get("diagnosis");
            assertThat(diagnosis.get("kind").asString()).isEqualTo("DEAD_LETTERED");
            assertThat(diagnosis.get("suspectService").asString()).isEqualTo("inventory-service");
            assertThat(diagnosis.get("cause").asString()).contains("INVALID_PAYLOAD");
            assertThat(diagnosis.get("topic").asString()).isEqualTo("order-events");
            assertThat(process.get("timeline").toString()).contains("DEAD_LETTER", "order-events.DLT");
            assertThat(get("/processes?status=failed").toString()).contains(story.correlationId);
        } finally {
            inventory.stop();
        }
    }

    @Test
    void redriveRepublishesTheAwaitedRecordUnchangedAndShowsOnTheTimeline() {
        OrderStory story = CollectorTestSupport.story("ord-redrive");
        EventEnvelope<?> reserved = story.reserved();
        publish(0, story.placed(), reserved);
        awaitOutcome(story, "STUCK");

        // who acts is who authenticated, whatever name the body carries
        JsonNode result = post("/processes/" + story.correlationId + "/redrive", "{\"requestedBy\":\"alice\"}", 202);
        assertThat(result.get("eventId").asString()).isEqualTo(reserved.eventId().toString());

        try (KafkaConsumer<byte[], byte[]> reader = consumer("test-reader")) {
            TopicPartition tp = new TopicPartition(Topics.INVENTORY_EVENTS, 0);
            reader.assign(List.of(tp));
            reader.seek(tp, result.get("offset").asLong());
            ConsumerRecord<byte[], byte[]> copy = reader.poll(Duration.ofSeconds(10)).iterator().next();
            assertThat(copy.value()).isEqualTo(dev.choreo.events.EventJson.write(reserved));
            assertThat(new String(copy.key(), StandardCharsets.UTF_8)).isEqualTo(story.orderId);
            assertThat(new String(copy.headers().lastHeader(EventHeaders.EVENT_ID).value(), StandardCharsets.UTF_8))
                    .isEqualTo(reserved.eventId().toString());
            assertThat(new String(copy.headers().lastHeader("choreo-redriven-by").value(), StandardCharsets.UTF_8))
                    .isEqualTo("operator");
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(process(story).get("timeline").toString())
                .contains("\"kind\":\"REDRIVE\""));
    }

    @Test
    void cancelPublishesTheCancellationRequestAndAwaitsOrderService() {
        OrderStory story = CollectorTestSupport.story("ord-cancel");
        publish(0, story.placed(), story.reserved());
        awaitOutcome(story, "STUCK");

        JsonNode result = post("/processes/" + story.correlationId + "/cancel", "{\"reason\":\"stuck at payment\"}", 202);
        assertThat(result.get("topic").asString()).isEqualTo(Topics.OPERATIONS_EVENTS);
        assertThat(result.get("partition").asInt()).isZero();
        try (KafkaConsumer<byte[], byte[]> reader = consumer("test-reader")) {
            TopicPartition tp = new TopicPartition(Topics.OPERATIONS_EVENTS, 0);
            reader.assign(List.of(tp));
            reader.seek(tp, result.get("offset").asLong());
            ConsumerRecord<byte[], byte[]> request = reader.poll(Duration.ofSeconds(10)).iterator().next();
            assertThat(new String(request.key(), StandardCharsets.UTF_8)).isEqualTo(story.orderId);
            var envelope = dev.choreo.events.EventJson.read(request.value());
            assertThat(envelope.eventType()).isEqualTo("ProcessCancellationRequested");
            assertThat(envelope.correlationId()).isEqualTo(story.correlationId);
            assertThat(new String(request.headers().lastHeader(EventHeaders.CORRELATION_ID).value(),
                    StandardCharsets.UTF_8)).isEqualTo(story.correlationId);
        }
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode process = process(story);
            assertThat(process.get("timeline").toString()).contains("ProcessCancellationRequested");
            assertThat(process.get("awaiting").toString()).contains("order-service", "OrderCancelled");
        });
    }

    /** An operator's reason longer than the limit is refused before anything is published (it used to pass). */
    @Test
    void anOverlongCancelReasonIsRefusedAndNothingIsPublished() throws Exception {
        OrderStory story = CollectorTestSupport.story("ord-cancel-overlong");
        publish(0, story.placed(), story.reserved());
        awaitOutcome(story, "STUCK");
        long before = operationsEndOffset();

        HttpResponse<String> refused = send(HttpRequest.newBuilder(uri("/processes/" + story.correlationId + "/cancel"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"" + "x".repeat(600) + "\"}")).build());

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(operationsEndOffset()).as("no cancellation request published").isEqualTo(before);
    }

    private long operationsEndOffset() {
        try (KafkaConsumer<byte[], byte[]> reader = consumer("test-end-offsets")) {
            TopicPartition tp = new TopicPartition(Topics.OPERATIONS_EVENTS, 0);
            return reader.endOffsets(List.of(tp)).get(tp);
        }
    }

    @Test
    void badInputGetsProblemDetails() throws Exception {
        HttpResponse<String> badStatus = send(HttpRequest.newBuilder(uri("/processes?status=bogus")).build());
        assertThat(badStatus.statusCode()).isEqualTo(400);
        assertThat(badStatus.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(badStatus.body()).get("allowed").toString()).contains("STUCK");

        assertThat(send(HttpRequest.newBuilder(uri("/processes?limit=0")).build()).statusCode()).isEqualTo(400);
        assertThat(send(HttpRequest.newBuilder(uri("/processes?limit=x")).build()).statusCode()).isEqualTo(400);
        HttpResponse<String> missing = send(HttpRequest.newBuilder(uri("/processes/no-such-process")).build());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).get("title").asString()).isEqualTo("Process not found");
        assertThat(send(HttpRequest.newBuilder(uri("/processes/no-such-process/cancel"))
                .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(404);
    }

    @Test
    void metricsAndHealthAreExposed() throws Exception {
        await().atMost(PATIENCE).untilAsserted(() -> {
            HttpResponse<String> health = send(HttpRequest.newBuilder(uri("/actuator/health")).build());
            assertThat(JSON.readTree(health.body()).get("status").asString()).as(health.body()).isEqualTo("UP");
        });
        String prometheus = send(HttpRequest.newBuilder(uri("/actuator/prometheus")).build()).body();
        assertThat(prometheus).contains("choreo_processes_started_total", "choreo_processes_in_flight{",
                "choreo_processes_stuck{", "choreo_step_duration_seconds_bucket", "choreo_processes_ended_total");
    }

    /** inventory-service's consumer with the services' dead-letter setup, failing on one order. */
    private ConcurrentMessageListenerContainer<byte[], byte[]> failingInventoryService(String poisonOrderId) {
        var producerFactory = new DefaultKafkaProducerFactory<byte[], byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), new ByteArraySerializer(), new ByteArraySerializer());
        // the services' destination: T.DLT, same partition
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(new KafkaTemplate<>(producerFactory),
                (record, exception) -> new TopicPartition(Topics.deadLetterOf(record.topic()), record.partition()));
        recoverer.setHeadersFunction((record, exception) -> {
            var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
            Throwable cause = exception.getCause() != null ? exception.getCause() : exception;
            String reason = cause instanceof InvalidEventException invalid ? invalid.reason().name()
                    : cause.getClass().getName();
            headers.add("dlt-reason", reason.getBytes(StandardCharsets.UTF_8));
            return headers;
        });
        var consumerFactory = new DefaultKafkaConsumerFactory<byte[], byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ConsumerConfig.GROUP_ID_CONFIG, "inventory-service",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        ContainerProperties properties = new ContainerProperties(new TopicPartitionOffset(Topics.ORDER_EVENTS, 2));
        properties.setMessageListener((MessageListener<byte[], byte[]>) record -> {
            if (poisonOrderId.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                throw new InvalidEventException(InvalidEventException.Reason.INVALID_PAYLOAD, "lines: must not be empty");
            }
        });
        var container = new ConcurrentMessageListenerContainer<>(consumerFactory, properties);
        container.setCommonErrorHandler(new DefaultErrorHandler(recoverer, new FixedBackOff(0, 0)));
        return container;
    }

}
