package dev.choreo.collector.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.collector.OrderStory;
import dev.choreo.collector.TestFlows;
import dev.choreo.collector.TestFlows.MutableClock;
import dev.choreo.collector.flow.ChoreographyMap;
import dev.choreo.collector.flow.Flow;
import dev.choreo.collector.flow.Outcome;
import dev.choreo.collector.flow.Vocabulary;
import dev.choreo.collector.ingest.RecordDecoder;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import dev.choreo.events.notification.NotificationKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The process model without a broker: the state machine, out-of-order arrival, timers and watermarks. */
class ProcessModelTest {

    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final List<String> timeouts = new ArrayList<>();
    private Flow flow;
    private RecordDecoder decoder;
    private ChoreographyMap choreography;
    private ProcessStore store;
    private long offset;

    @BeforeEach
    void setUp() {
        flow = new Flow(TestFlows.shipped(), new Vocabulary());
        decoder = new RecordDecoder(flow);
        choreography = new ChoreographyMap(flow.vocabulary());
        store = newStore(null);
        for (String topic : Topics.PROCESS_TOPICS) {
            store.track(topic, 0, 0);
            store.caughtUp(topic, 0, true);
        }
    }

    private ProcessStore newStore(Duration autoCancel) {
        return new ProcessStore(flow, new Settings(48, 1000, Duration.ofMillis(100), autoCancel), choreography,
                ProcessObserver.NONE, (id, order, partition, reason) -> timeouts.add(id + ": " + reason), clock);
    }

    private void consume(EventEnvelope<?>... envelopes) {
        for (EventEnvelope<?> envelope : envelopes) {
            store.apply(List.of(decoder.decode(OrderStory.consumed(envelope, 0, offset++), true)));
        }
    }

    private ProcessView view(OrderStory story) {
        return store.find(story.correlationId).orElseThrow();
    }

    @Test
    void happyPathCompletesWithStepDurationsAndAnOrderedTimeline() {
        OrderStory story = new OrderStory("ord-1", START);
        consume(story.placed(), story.advance(40).reserved(), story.advance(60).paid(), story.advance(100).shipped(),
                story.advance(10).notified("OrderShipped", NotificationKind.ORDER_COMPLETED));

        ProcessView process = view(story);
        assertThat(process.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(process.durationMillis()).isEqualTo(210);
        assertThat(process.timeline()).extracting(ProcessView.Entry::eventType).containsExactly("OrderPlaced",
                "InventoryUpdated", "OrderPayed", "OrderShipped", "CustomerNotified");
        assertThat(process.steps()).extracting(ProcessView.StepView::step, ProcessView.StepView::durationMillis)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("reserve-stock", 40L),
                        org.assertj.core.groups.Tuple.tuple("charge-payment", 60L),
                        org.assertj.core.groups.Tuple.tuple("ship", 100L),
                        org.assertj.core.groups.Tuple.tuple("notify-completed", 10L));
        assertThat(choreography.snapshot().edges()).extracting(ChoreographyMap.EdgeView::from,
                ChoreographyMap.EdgeView::to).contains(org.assertj.core.groups.Tuple.tuple("OrderPlaced",
                        "InventoryUpdated"), org.assertj.core.groups.Tuple.tuple("OrderShipped", "CustomerNotified"));
    }

    @Test
    void eventsArrivingOutOfOrderAcrossTopicsStillComplete() {
        OrderStory story = new OrderStory("ord-2", START);
        EventEnvelope<?> placed = story.placed();
        EventEnvelope<?> reserved = story.advance(10).reserved();
        EventEnvelope<?> paid = story.advance(10).paid();
        EventEnvelope<?> shipped = story.advance(10).shipped();
        EventEnvelope<?> notified = story.advance(10).notified("OrderShipped", NotificationKind.ORDER_COMPLETED);
        consume(notified, paid, placed, reserved);
        assertThat(view(story).outcome()).isEqualTo(Outcome.RUNNING);
        consume(shipped);

        assertThat(view(story).outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(choreography.snapshot().edges()).hasSize(4);
    }

    @Test
    void rejectedOrderIsCompensated() {
        OrderStory story = new OrderStory("ord-3", START);
        consume(story.placed(), story.rejected(), story.notified("InventoryRejected", NotificationKind.ORDER_REJECTED));
        assertThat(view(story).outcome()).isEqualTo(Outcome.COMPENSATED);
    }

    @Test
    void declinedPaymentIsCompensatedAfterTheRelease() {
        OrderStory story = new OrderStory("ord-4", START);
        consume(story.placed(), story.reserved(), story.declined(), story.released("PaymentDeclined"),
                story.notified("InventoryReleased", NotificationKind.ORDER_CANCELLED));
        assertThat(view(story).outcome()).isEqualTo(Outcome.COMPENSATED);
    }

    @Test
    void failedShippingAwaitsBothRefundAndRelease() {
        OrderStory story = new OrderStory("ord-5", START);
        consume(story.placed(), story.reserved(), story.paid(), story.shippingFailed(),
                story.released("ShippingFailed"), story.notified("InventoryReleased", NotificationKind.ORDER_CANCELLED));
        ProcessView process = view(story);
        assertThat(process.outcome()).isEqualTo(Outcome.RUNNING);
        assertThat(process.awaiting()).extracting(ProcessView.Awaited::service).containsExactly("payment-service");

        consume(story.refunded("ShippingFailed"));
        assertThat(view(story).outcome()).isEqualTo(Outcome.COMPENSATED);
    }

    @Test
    void aCancellationIsDecidedByPaymentOrShipping() {
        OrderStory paid = new OrderStory("ord-6", START);
        consume(paid.placed(), paid.reserved(), paid.paid(), paid.cancelled());
        // charged already: shipping decides whether the parcel can still be stopped
        assertThat(view(paid).awaiting()).extracting(ProcessView.Awaited::service).containsOnly("shipping-service");
        consume(paid.shippingFailed(), paid.refunded("ShippingFailed"), paid.released("ShippingFailed"),
                paid.notified("InventoryReleased", NotificationKind.ORDER_CANCELLED));
        assertThat(view(paid).outcome()).isEqualTo(Outcome.COMPENSATED);

        OrderStory unpaid = new OrderStory("ord-7", START);
        consume(unpaid.placed(), unpaid.reserved(), unpaid.cancelled());
        // not charged yet: payment voids it
        assertThat(view(unpaid).awaiting()).extracting(ProcessView.Awaited::service).containsOnly("payment-service");
        consume(unpaid.declined(), unpaid.released("PaymentDeclined"),
                unpaid.notified("InventoryReleased", NotificationKind.ORDER_CANCELLED));
        assertThat(view(unpaid).outcome()).isEqualTo(Outcome.COMPENSATED);
    }

    @Test
    void missedDeadlineIsFlaggedWithinATickAndClearedByTheFollowUp() {
        OrderStory story = new OrderStory("ord-8", START);
        consume(story.placed(), story.reserved());
        clock.advance(29_900);
        store.advance();
        assertThat(view(story).outcome()).isEqualTo(Outcome.RUNNING);

        clock.advance(200);
        store.advance();
        ProcessView stuck = view(story);
        assertThat(stuck.outcome()).isEqualTo(Outcome.STUCK);
        assertThat(stuck.stuckOn().service()).isEqualTo("payment-service");
        assertThat(stuck.stuckSince()).isEqualTo(START.plusSeconds(30));
        assertThat(store.list(Outcome.STUCK, 10)).extracting(ProcessSummary::suspect).containsExactly("payment-service");

        consume(story.paid());
        assertThat(view(story).outcome()).isEqualTo(Outcome.RUNNING);
        assertThat(store.list(Outcome.STUCK, 10)).isEmpty();
    }

    @Test
    void anEarlyFarDeadlineDoesNotDelayNearerOnes() {
        OrderStory overtaken = new OrderStory("ord-13", START);
        // an end event that overtook its causes waits with the (5 minute) quiet deadline, scheduled first
        overtaken.placed();
        consume(overtaken.notified("OrderPlaced", NotificationKind.ORDER_REJECTED));
        OrderStory story = new OrderStory("ord-14", START);
        consume(story.placed());
        clock.advance(30_100);
        store.advance();
        assertThat(view(story).outcome()).isEqualTo(Outcome.STUCK);
    }

    @Test
    void aWheelStartedBeforeTheFirstProcessStillFires() {
        store.advance();
        clock.advance(5_000);
        store.advance();
        OrderStory story = new OrderStory("ord-15", clock.instant());
        consume(story.placed());
        for (int tick = 0; tick < 302; tick++) {
            clock.advance(100);
            store.advance();
        }
        assertThat(view(story).outcome()).isEqualTo(Outcome.STUCK);
    }

    @Test
    void aLaggingCollectorDoesNotMistakeUnreadEventsForMissingOnes() {
        OrderStory story = new OrderStory("ord-9", START);
        consume(story.placed());
        store.caughtUp(Topics.INVENTORY_EVENTS, 0, false);
        clock.advance(600_000);
        store.advance();
        assertThat(view(story).outcome()).as("inventory-events not read to the end yet").isEqualTo(Outcome.RUNNING);

        store.caughtUp(Topics.INVENTORY_EVENTS, 0, true);
        store.advance();
        assertThat(view(story).outcome()).isEqualTo(Outcome.STUCK);
    }

    @Test
    void theWatermarkStopsAtTheLastTimeTheBrokerConfirmedEverythingWasRead() {
        OrderStory story = new OrderStory("ord-outage", START);
        consume(story.placed());
        Topics.PROCESS_TOPICS.forEach(topic -> store.readToEnd(topic, 0, clock.millis()));
        clock.advance(600_000);
        store.advance();
        assertThat(view(story).outcome()).as("the consumer's lag still says 0, the broker confirmed nothing since")
                .isEqualTo(Outcome.RUNNING);

        Topics.PROCESS_TOPICS.forEach(topic -> store.readToEnd(topic, 0, clock.millis()));
        store.advance();
        assertThat(view(story).outcome()).isEqualTo(Outcome.STUCK);
    }

    @Test
    void heldWatermarksFireNoDeadlineUntilReleased() {
        OrderStory story = new OrderStory("ord-held", START);
        consume(story.placed());
        store.holdWatermarks(clock.millis());
        clock.advance(600_000);
        store.advance();
        assertThat(view(story).outcome()).isEqualTo(Outcome.RUNNING);

        store.releaseWatermarks();
        store.advance();
        assertThat(view(story).outcome()).isEqualTo(Outcome.STUCK);
    }

    @Test
    void quietTopicsRaiseNothing() {
        OrderStory story = new OrderStory("ord-10", START);
        consume(story.placed(), story.rejected(), story.notified("InventoryRejected", NotificationKind.ORDER_REJECTED));
        clock.advance(3_600_000);
        store.advance();
        assertThat(store.list(Outcome.STUCK, 10)).isEmpty();
        assertThat(store.counts().timers()).isZero();
    }

    @Test
    void duplicatesAreIgnoredAndADeadLetterFailsTheProcess() {
        OrderStory story = new OrderStory("ord-11", START);
        EventEnvelope<?> placed = story.placed();
        consume(placed, placed);
        assertThat(view(story).timeline()).hasSize(1);

        var dead = OrderStory.consumed(placed, 0, 0);
        var record = new org.apache.kafka.clients.consumer.ConsumerRecord<>(Topics.deadLetterOf(Topics.ORDER_EVENTS),
                0, 0L, START.toEpochMilli() + 5, org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0,
                dead.key(), "not json".getBytes(), dead.headers(), java.util.Optional.<Integer>empty());
        record.headers().add("kafka_dlt-original-consumer-group", "inventory-service".getBytes())
                .add("dlt-reason", "MALFORMED_JSON".getBytes());
        store.apply(List.of(decoder.decode(record, true)));

        ProcessView process = view(story);
        assertThat(process.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(process.deadLetters()).extracting(DeadLetter::group).containsExactly("inventory-service");
        assertThat(store.list(Outcome.FAILED, 5)).extracting(ProcessSummary::suspect).containsExactly("inventory-service");
    }

    @Test
    void aRedeliveryAfterTheProcessLeftTheHistoryStartsNoPhantomProcess() {
        store = new ProcessStore(flow, new Settings(48, 1, Duration.ofMillis(100), null), choreography,
                ProcessObserver.NONE, (id, order, partition, reason) -> { }, clock);
        store.track(Topics.ORDER_EVENTS, 0, 0);
        store.caughtUp(Topics.ORDER_EVENTS, 0, true);
        OrderStory first = new OrderStory("ord-16", START);
        EventEnvelope<?> placed = first.placed();
        consume(placed, first.rejected(), first.notified("InventoryRejected", NotificationKind.ORDER_REJECTED));
        OrderStory second = new OrderStory("ord-17", START);
        consume(second.placed(), second.rejected(), second.notified("InventoryRejected", NotificationKind.ORDER_REJECTED));
        assertThat(store.find(first.correlationId)).as("evicted from a history of one").isEmpty();

        consume(placed);
        assertThat(store.find(first.correlationId)).isEmpty();
        assertThat(store.counts().open()).isZero();
    }

    @Test
    void autoCancelPublishesOnceAfterTheHardDeadline() {
        store = newStore(Duration.ofSeconds(60));
        for (String topic : Topics.PROCESS_TOPICS) {
            store.track(topic, 0, 0);
            store.caughtUp(topic, 0, true);
        }
        OrderStory story = new OrderStory("ord-12", START);
        consume(story.placed());
        clock.advance(30_100);
        store.advance();
        assertThat(timeouts).isEmpty();
        clock.advance(60_000);
        store.advance();
        clock.advance(60_000);
        store.advance();
        assertThat(timeouts).containsExactly(story.correlationId
                + ": timed out waiting for InventoryUpdated | InventoryRejected from inventory-service");
    }

    /** Consumes as the listener does once caught up: the record became readable at {@code appendedAt}. */
    private void consumeAppendedAt(long appendedAt, EventEnvelope<?>... envelopes) {
        for (EventEnvelope<?> envelope : envelopes) {
            store.apply(List.of(decoder.decode(OrderStory.consumed(envelope, 0, offset++), true, appendedAt,
                    appendedAt)));
        }
    }

    @Test
    void aDeadlineCountsFromWhenTheCauseBecameReadableNotFromItsOccurredAt() {
        // order-service's outbox held OrderPlaced for ten minutes
        OrderStory story = new OrderStory("ord-20", START.minusSeconds(600));
        consumeAppendedAt(START.toEpochMilli(), story.placed());
        store.advance();
        assertThat(view(story).outcome()).as("not stuck on arrival").isEqualTo(Outcome.RUNNING);
        clock.advance(29_000);
        store.advance();
        assertThat(view(story).outcome()).isEqualTo(Outcome.RUNNING);
        clock.advance(1_200);
        store.advance();
        ProcessView stuck = view(story);
        assertThat(stuck.outcome()).isEqualTo(Outcome.STUCK);
        assertThat(stuck.stuckOn().since()).isEqualTo(START);
        assertThat(stuck.stuckOn().cause().occurredAt()).isEqualTo(START.minusSeconds(600));
        assertThat(stuck.stuckOn().cause().publishDelayMillis()).isEqualTo(600_000);
    }

    @Test
    void aProducerClockBehindOrAheadMovesNoDeadline() {
        OrderStory behind = new OrderStory("ord-21", START.minusSeconds(45));
        OrderStory ahead = new OrderStory("ord-22", START.plusSeconds(45));
        consumeAppendedAt(START.toEpochMilli(), behind.placed(), ahead.placed());
        clock.advance(29_000);
        store.advance();
        assertThat(view(behind).outcome()).isEqualTo(Outcome.RUNNING);
        clock.advance(1_200);
        store.advance();
        assertThat(view(behind).outcome()).isEqualTo(Outcome.STUCK);
        assertThat(view(ahead).outcome()).isEqualTo(Outcome.STUCK);
    }

    @Test
    void autoCancelNeverFiresOnAProcessThatIsMoving() {
        store = newStore(Duration.ofSeconds(60));
        for (String topic : Topics.PROCESS_TOPICS) {
            store.track(topic, 0, 0);
            store.caughtUp(topic, 0, true);
        }
        OrderStory story = new OrderStory("ord-23", START);
        long start = START.toEpochMilli();
        consumeAppendedAt(start, story.placed(), story.reserved(), story.paid(), story.shippingFailed());
        clock.advance(30_100);
        store.advance();
        assertThat(view(story).outcome()).as("refund and release overdue").isEqualTo(Outcome.STUCK);

        // the release comes late, the refund not yet: stuck still, but moving
        clock.advance(50_000);
        consumeAppendedAt(clock.millis(), story.advance(80_000).released("ShippingFailed"));
        store.advance();
        assertThat(view(story).outcome()).isEqualTo(Outcome.STUCK);
        clock.advance(15_000);
        store.advance();
        assertThat(timeouts).as("stuck for more than a minute, but an event came 15 s ago").isEmpty();

        // a full minute without anything: now it is cancelled
        clock.advance(46_000);
        store.advance();
        assertThat(timeouts).hasSize(1);
    }

    @Test
    void anAutoCancelIsConfirmedOnlyIfTheProcessDidNotMoveMeanwhile() {
        store = newStore(Duration.ofSeconds(60));
        for (String topic : Topics.PROCESS_TOPICS) {
            store.track(topic, 0, 0);
            store.caughtUp(topic, 0, true);
        }
        OrderStory story = new OrderStory("ord-24", START);
        consumeAppendedAt(START.toEpochMilli(), story.placed());
        clock.advance(30_100);
        store.advance();
        clock.advance(60_100);
        store.advance();
        assertThat(timeouts).hasSize(1);

        // the publisher could not make sure it read everything (say the broker is back but not fetched yet)
        store.deferAutoCancel(story.correlationId, 0, Duration.ofSeconds(1));
        clock.advance(1_200);
        store.advance();
        assertThat(timeouts).as("asked again").hasSize(2);

        // meanwhile a record of it was read: it moves, so the request lapses
        consumeAppendedAt(clock.millis(), story.advance(91_000).cancelled());
        assertThat(store.confirmAutoCancel(story.correlationId, 0)).isFalse();
        clock.advance(30_000);
        store.advance();
        assertThat(timeouts).hasSize(2);
        clock.advance(31_000);
        store.advance();
        assertThat(timeouts).as("a full minute without a record").hasSize(3);
        assertThat(store.confirmAutoCancel(story.correlationId, 0)).isTrue();
    }

    @Test
    void onALogCutByRetentionOnlyACauseOlderThanTheLogStartCountsAsPresent() {
        // retention cut order-events at offset 1; every topic ended at offset 10 when it was assigned, and was read
        for (String topic : Topics.PROCESS_TOPICS) {
            store.rebuilding(topic, 0, Topics.ORDER_EVENTS.equals(topic) ? 1 : 0, 10);
        }
        OrderStory headCut = new OrderStory("ord-25", START);
        headCut.placed();
        consume(headCut.reserved(), headCut.paid(), headCut.shipped(),
                headCut.notified("OrderShipped", NotificationKind.ORDER_COMPLETED));
        assertThat(view(headCut).outcome()).as("its OrderPlaced is older than the log start").isEqualTo(Outcome.COMPLETED);

        // records that came after the assignment: a missing cause is only late, and the end waits for it
        offset = 10;
        OrderStory overtaken = new OrderStory("ord-26", START);
        EventEnvelope<?> placed = overtaken.placed();
        EventEnvelope<?> reserved = overtaken.reserved();
        EventEnvelope<?> paid = overtaken.paid();
        EventEnvelope<?> shipped = overtaken.shipped();
        consume(overtaken.notified("OrderShipped", NotificationKind.ORDER_COMPLETED), placed, reserved, paid);
        assertThat(view(overtaken).outcome()).isEqualTo(Outcome.RUNNING);
        consume(shipped);
        assertThat(view(overtaken).outcome()).isEqualTo(Outcome.COMPLETED);
    }
}
