package dev.choreo.collector.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * The memory limits of the process model: open processes capped (least recently active evicted), an age limit,
 * an index for records without a correlation id, and a cap on processes known only from dead letters.
 */
class MemoryBoundsTest {

    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final Flow flow = new Flow(TestFlows.shipped(), new Vocabulary());
    private final RecordDecoder decoder = new RecordDecoder(flow);
    private final Recorded recorded = new Recorded();
    private ProcessStore store;
    private long offset;
    private long deadLetterOffset;

    private void newStore(int historySize, int maxOpen, Duration maxAge, int maxDeadLetterProcesses) {
        store = new ProcessStore(flow, new Settings(48, historySize, Duration.ofMillis(100), null, maxOpen, maxAge,
                maxDeadLetterProcesses), new ChoreographyMap(flow.vocabulary()), recorded, (a, b, c, d) -> { }, clock);
        for (String topic : Topics.PROCESS_TOPICS) {
            store.track(topic, 0, 0);
            store.caughtUp(topic, 0, true);
            store.track(Topics.deadLetterOf(topic), 0, 0);
            store.caughtUp(Topics.deadLetterOf(topic), 0, true);
        }
    }

    private void consume(EventEnvelope<?>... envelopes) {
        for (EventEnvelope<?> envelope : envelopes) {
            store.apply(List.of(decoder.decode(OrderStory.consumed(envelope, 0, offset++), true, clock.millis(),
                    clock.millis())));
        }
    }

    private Optional<Outcome> outcome(OrderStory story) {
        return store.find(story.correlationId).map(ProcessView::outcome);
    }

    @Test
    void beyondTheOpenCapTheLeastRecentlyActiveProcessIsEvictedAndAnswersAsEvicted() {
        newStore(1000, 3, null, 1000);
        OrderStory first = new OrderStory("ord-1", START);
        OrderStory second = new OrderStory("ord-2", START);
        OrderStory third = new OrderStory("ord-3", START);
        consume(first.placed(), second.placed(), third.placed());
        clock.advance(30_100);
        store.advance();
        assertThat(outcome(first)).contains(Outcome.STUCK);
        // the first moves again: now the second is the least recently active
        consume(first.reserved());

        OrderStory fourth = new OrderStory("ord-4", clock.instant());
        consume(fourth.placed());

        assertThat(store.counts().open()).isEqualTo(3);
        ProcessView evicted = store.find(second.correlationId).orElseThrow();
        assertThat(evicted.outcome()).isEqualTo(Outcome.EVICTED);
        assertThat(evicted.evicted().reason()).isEqualTo("max-open-processes");
        assertThat(evicted.evicted().outcomeBefore()).isEqualTo(Outcome.STUCK);
        assertThat(evicted.timeline()).extracting(ProcessView.Entry::eventType).containsExactly("OrderPlaced");
        assertThat(outcome(first)).contains(Outcome.RUNNING);
        assertThat(store.list(Outcome.EVICTED, 10)).extracting(ProcessSummary::correlationId)
                .containsExactly(second.correlationId);
        assertThat(store.list(Outcome.STUCK, 10)).extracting(ProcessSummary::correlationId)
                .containsExactly(third.correlationId);
        assertThat(recorded.evicted).containsExactly(Eviction.MAX_OPEN_PROCESSES);
    }

    @Test
    void aLateEventOfAnEvictedProcessOpensNoPhantomEvenAfterItLeftTheHistory() {
        newStore(1, 1, null, 1000);
        OrderStory first = new OrderStory("ord-5", START);
        OrderStory second = new OrderStory("ord-6", START);
        OrderStory third = new OrderStory("ord-7", START);
        consume(first.placed(), second.placed());
        assertThat(outcome(first)).contains(Outcome.EVICTED);

        // still in the history: the late event lands on its timeline, it is not reopened
        consume(first.reserved());
        assertThat(store.find(first.correlationId).orElseThrow().timeline()).hasSize(2);
        assertThat(outcome(first)).contains(Outcome.EVICTED);

        consume(third.placed());
        assertThat(store.find(first.correlationId)).as("gone from a history of one").isEmpty();
        consume(first.paid());
        assertThat(store.find(first.correlationId)).as("no phantom").isEmpty();
        assertThat(store.counts().open()).isEqualTo(1);
        clock.advance(600_000);
        store.advance();
        assertThat(store.list(Outcome.STUCK, 10)).extracting(ProcessSummary::correlationId)
                .containsExactly(third.correlationId);
    }

    @Test
    void aProcessOpenLongerThanTheAgeLimitIsEvictedWhateverItsOutcome() {
        newStore(1000, 1000, Duration.ofHours(1), 1000);
        OrderStory stuck = new OrderStory("ord-8", START);
        consume(stuck.placed());
        clock.advance(30_100);
        store.advance();
        assertThat(outcome(stuck)).contains(Outcome.STUCK);

        clock.advance(Duration.ofMinutes(59).toMillis());
        OrderStory young = new OrderStory("ord-9", clock.instant());
        consume(young.placed());
        store.advance();
        assertThat(outcome(stuck)).contains(Outcome.STUCK);

        clock.advance(Duration.ofMinutes(1).toMillis());
        store.advance();
        ProcessView evicted = store.find(stuck.correlationId).orElseThrow();
        assertThat(evicted.outcome()).isEqualTo(Outcome.EVICTED);
        assertThat(evicted.evicted().reason()).isEqualTo("max-open-age");
        assertThat(evicted.evicted().outcomeBefore()).isEqualTo(Outcome.STUCK);
        assertThat(outcome(young)).contains(Outcome.STUCK);
        assertThat(store.counts().open()).isEqualTo(1);
        assertThat(recorded.evicted).containsExactly(Eviction.MAX_OPEN_AGE);
    }

    @Test
    void deadLettersWithoutACorrelationIdFindTheirProcessByOrderIdWithoutAScan() {
        newStore(1000, Integer.MAX_VALUE, null, Integer.MAX_VALUE);
        int processes = 50_000;
        List<IngestedEvent> placed = new ArrayList<>(processes);
        List<IngestedEvent> deadLetters = new ArrayList<>(processes);
        List<OrderStory> stories = new ArrayList<>(processes);
        for (int i = 0; i < processes; i++) {
            OrderStory story = new OrderStory("ord-idx-" + i, START);
            stories.add(story);
            placed.add(decoder.decode(OrderStory.consumed(story.placed(), 0, offset++), true));
            deadLetters.add(decoder.decode(poison(story.orderId), true));
        }
        store.apply(placed);

        // a scan of the 50,000 open processes for each of 50,000 dead letters took 23 s here; the index, milliseconds
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> store.apply(deadLetters));

        assertThat(store.counts().open()).isEqualTo(processes);
        assertThat(store.counts().failed()).isEqualTo(processes);
        ProcessView last = store.find(stories.get(processes - 1).correlationId).orElseThrow();
        assertThat(last.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(last.deadLetters()).extracting(DeadLetter::group).containsExactly("inventory-service");
    }

    @Test
    void aFloodOfDeadLettersWithRandomKeysStaysUnderItsCapWhileARealStallIsFlagged() {
        newStore(1000, 5000, null, 1000);
        OrderStory stalled = new OrderStory("ord-stalled", START);
        consume(stalled.placed());
        int flood = 100_000;
        List<IngestedEvent> batch = new ArrayList<>(1000);
        for (int i = 0; i < flood; i++) {
            batch.add(decoder.decode(poison(UUID.randomUUID().toString()), true));
            if (batch.size() == 1000) {
                store.apply(batch);
                batch.clear();
                clock.advance(1);
                store.advance();
            }
        }
        assertThat(store.counts().deadLettersOnly()).isEqualTo(1000);
        assertThat(store.counts().open()).isEqualTo(1001);
        assertThat(recorded.untracked).isEqualTo(flood - 1000);
        assertThat(recorded.evicted).isEmpty();

        clock.advance(30_000);
        store.advance();
        assertThat(outcome(stalled)).contains(Outcome.STUCK);
        assertThat(store.list(Outcome.STUCK, 10)).extracting(ProcessSummary::suspect)
                .containsExactly("inventory-service");
    }

    /**
     * A record that could not be read, as the consuming service dead-letters it: keyed by the order id, not JSON,
     * and without the envelope headers (so no correlation id).
     */
    private ConsumerRecord<byte[], byte[]> poison(String key) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("kafka_dlt-original-consumer-group", "inventory-service".getBytes(StandardCharsets.UTF_8));
        headers.add("dlt-reason", "MALFORMED_JSON".getBytes(StandardCharsets.UTF_8));
        byte[] value = "not json".getBytes(StandardCharsets.UTF_8);
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>(Topics.deadLetterOf(Topics.ORDER_EVENTS), 0, deadLetterOffset++, clock.millis(),
                TimestampType.CREATE_TIME, keyBytes.length, value.length, keyBytes, value, headers, Optional.empty());
    }

    /** Counts what the memory limits report. */
    private static final class Recorded implements ProcessObserver {
        final List<Eviction> evicted = new ArrayList<>();
        int untracked;

        @Override
        public void evicted(Eviction reason) {
            evicted.add(reason);
        }

        @Override
        public void deadLetterUntracked(String deadLetterTopic, DeadLetter deadLetter) {
            untracked++;
        }
    }
}
