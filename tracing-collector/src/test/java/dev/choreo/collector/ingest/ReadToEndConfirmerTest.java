package dev.choreo.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;

import dev.choreo.collector.CollectorProperties;
import dev.choreo.collector.OrderStory;
import dev.choreo.collector.TestFlows;
import dev.choreo.collector.TestFlows.MutableClock;
import dev.choreo.collector.diagnosis.ConsumerGroupProbe;
import dev.choreo.collector.flow.ChoreographyMap;
import dev.choreo.collector.flow.Flow;
import dev.choreo.collector.flow.Outcome;
import dev.choreo.collector.flow.Vocabulary;
import dev.choreo.collector.process.ProcessObserver;
import dev.choreo.collector.process.ProcessStore;
import dev.choreo.collector.process.Settings;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deadlines through a broker outage, with the broker's answers scripted: they stop at the last confirmation
 * while it does not answer, and stay held for {@code hold-after-outage} after it answers again (the end-to-end
 * {@code CollectorBrokerOutageTest} in local-suite uses a real broker, but there the consumer's re-fetch after the
 * restart happens to hold the watermarks about as long, so it cannot tell whether the hold is there).
 */
class ReadToEndConfirmerTest {

    private static final Duration HOLD_AFTER_OUTAGE = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final ConsumerGroupProbe broker = mock(ConsumerGroupProbe.class);
    private final AppendClock appendClock = new AppendClock();
    private Flow flow;
    private ProcessStore store;
    private ReadToEndConfirmer confirmer;
    private long offset;

    @BeforeEach
    void setUp() {
        flow = new Flow(TestFlows.shipped(), new Vocabulary());
        store = new ProcessStore(flow, new Settings(48, 1000, Duration.ofMillis(100), null),
                new ChoreographyMap(flow.vocabulary()), mock(ProcessObserver.class), (id, order, partition, why) -> { },
                clock);
        for (String topic : Topics.PROCESS_TOPICS) {
            store.track(topic, 0, 0);
            store.caughtUp(topic, 0, true);
        }
        confirmer = new ReadToEndConfirmer(broker, store, appendClock, clock,
                new CollectorProperties.BrokerCheck(Duration.ofMillis(500), HOLD_AFTER_OUTAGE));
    }

    @Test
    void deadlinesStopWhileTheBrokerDoesNotAnswerAndStayHeldAWhileAfterItAnswersAgain() throws Exception {
        OrderStory story = new OrderStory("ord-outage", clock.instant());
        consume(story.placed());
        brokerAnswers();
        confirmer.check();

        brokerDown();
        clock.advance(120_000);
        confirmer.check();
        store.advance();
        assertThat(outcome(story)).as("two minutes of outage, a 30 s deadline").isEqualTo(Outcome.RUNNING);
        assertThat(confirmer.outage()).hasValueSatisfying(says -> assertThat(says).contains("Kafka unreachable since"));

        brokerAnswers();
        confirmer.check();
        clock.advance(HOLD_AFTER_OUTAGE.toMillis() - 1);
        confirmer.check();
        store.advance();
        assertThat(outcome(story)).as("the held records may still be on their way").isEqualTo(Outcome.RUNNING);
        assertThat(confirmer.outage()).hasValueSatisfying(says -> assertThat(says).contains("Kafka answers again"));

        clock.advance(1);
        confirmer.check();
        store.advance();
        assertThat(outcome(story)).as("nothing came: a real stall").isEqualTo(Outcome.STUCK);
        assertThat(confirmer.outage()).isEmpty();
    }

    @Test
    void aCaughtUpCollectorStillFlagsAStallWhenTheBrokerAnswers() throws Exception {
        OrderStory story = new OrderStory("ord-stall", clock.instant());
        consume(story.placed());
        brokerAnswers();
        clock.advance(31_000);
        confirmer.check();
        store.advance();
        assertThat(outcome(story)).isEqualTo(Outcome.STUCK);
    }

    private void consume(EventEnvelope<?> envelope) {
        store.apply(List.of(new RecordDecoder(flow).decode(OrderStory.consumed(envelope, 0, offset++), true)));
    }

    /** The broker's end offsets are where the collector's positions are: everything was read. */
    private void brokerAnswers() throws Exception {
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (String topic : Topics.PROCESS_TOPICS) {
            appendClock.of(topic, 0).position = topic.equals(Topics.ORDER_EVENTS) ? offset : 0;
            ends.put(new TopicPartition(topic, 0), appendClock.readPosition(topic, 0));
        }
        doReturn(ends).when(broker).endOffsetsNow(any());
    }

    private void brokerDown() throws Exception {
        doThrow(ConsumerGroupProbe.ProbeException.class).when(broker).endOffsetsNow(any());
    }

    private Outcome outcome(OrderStory story) {
        return store.find(story.correlationId).orElseThrow().outcome();
    }
}
