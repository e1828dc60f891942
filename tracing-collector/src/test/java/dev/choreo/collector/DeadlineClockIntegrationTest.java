package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventEnvelope;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13, item 2: a step's deadline (2 s in these tests) counts from when its cause became readable in Kafka,
 * on the collector's clock, not from the producer's occurredAt. The suite's topics use CreateTime, so a service
 * whose clock is off stamps its records with the same wrong clock as its occurredAt: both are skewed here.
 * Partition 0 of the shared broker; each test has its own order.
 */
class DeadlineClockIntegrationTest extends BrokerBackedTest {

    /** Comfortably inside the 2 s deadline, long enough to see a false alarm the old collector raised at once. */
    private static final Duration STAYS_RUNNING = Duration.ofMillis(1200);

    @Test
    void aProducerWhoseClockIs45SecondsBehindRaisesNoFalseStuck() {
        OrderStory story = new OrderStory("ord-clock-behind", Instant.now().minusSeconds(45));
        publishStamped(story.placed(), 0);
        awaitVisible(story);
        await().during(STAYS_RUNNING).atMost(STAYS_RUNNING.plusSeconds(2))
                .until(() -> "RUNNING".equals(outcome(story)));

        publishStamped(story.advance(STAYS_RUNNING.toMillis()).reserved(), 0);
        await().atMost(PATIENCE).until(() -> process(story).get("awaiting").toString().contains("payment-service"));
        await().during(STAYS_RUNNING).atMost(STAYS_RUNNING.plusSeconds(2))
                .until(() -> "RUNNING".equals(outcome(story)));

        // a real stall is still flagged, and its waiting time is the collector's, not the skewed producer's
        JsonNode stuck = awaitOutcome(story, "STUCK");
        assertThat(stuck.get("stuckOn").get("service").asString()).isEqualTo("payment-service");
        assertThat(stuck.get("diagnosis").get("waitingMillis").asLong()).isBetween(1_500L, 15_000L);
    }

    @Test
    void aProducerWhoseClockIs45SecondsAheadHidesNoStall() {
        OrderStory story = new OrderStory("ord-clock-ahead", Instant.now().plusSeconds(45));
        long readable = System.currentTimeMillis();
        publishStamped(story.placed(), 0);
        // flagged 2 s after the record became readable; the old collector waited for occurredAt + 2 s (47 s)
        JsonNode stuck = await().atMost(Duration.ofSeconds(8)).until(() -> process(story),
                p -> p != null && "STUCK".equals(p.get("outcome").asString()));
        assertThat(Instant.parse(stuck.get("stuckOn").get("since").asString()).toEpochMilli())
                .as("the deadline counts from when the record became readable")
                .isBetween(readable - 1_000, System.currentTimeMillis());
    }

    @Test
    void eventsAppendedLateAreNotStuckOnArrivalAndTheDelayIsNamed() {
        // order-service's outbox (or the broker) held OrderPlaced for a minute: it occurred then, is appended now
        OrderStory story = new OrderStory("ord-outbox-late", Instant.now().minusSeconds(60));
        services.publish(story.placed(), 0);
        awaitVisible(story);
        await().during(STAYS_RUNNING).atMost(STAYS_RUNNING.plusSeconds(2))
                .until(() -> "RUNNING".equals(outcome(story)));

        // inventory-service then has its full 2 s; when it misses them, it is the suspect of its own wait, and the
        // minute before is put where it belongs
        JsonNode stuck = awaitOutcome(story, "STUCK");
        JsonNode diagnosis = stuck.get("diagnosis");
        assertThat(diagnosis.get("suspectService").asString()).isEqualTo("inventory-service");
        assertThat(diagnosis.get("waitingMillis").asLong()).isBetween(1_500L, 15_000L);
        assertThat(diagnosis.get("publishDelayMillis").asLong()).isBetween(59_000L, 75_000L);
        assertThat(diagnosis.get("summary").asString()).contains("order-service's outbox or the broker",
                "OrderPlaced reached Kafka 1 min");
        JsonNode cause = stuck.get("stuckOn").get("cause");
        assertThat(cause.get("publishDelayMillis").asLong()).isBetween(59_000L, 75_000L);
    }

    /** As a service whose clock is off publishes: CreateTime from the same clock as occurredAt. */
    private void publishStamped(EventEnvelope<?> envelope, int partition) {
        ProducerRecord<byte[], byte[]> record = OrderStory.record(envelope, partition);
        services.send(new ProducerRecord<>(record.topic(), partition, envelope.occurredAt().toEpochMilli(),
                record.key(), record.value(), record.headers()));
    }

    private void awaitVisible(OrderStory story) {
        await().atMost(PATIENCE).until(() -> process(story) != null);
    }

    private String outcome(OrderStory story) throws Exception {
        JsonNode process = process(story);
        return process == null ? null : process.get("outcome").asString();
    }
}
