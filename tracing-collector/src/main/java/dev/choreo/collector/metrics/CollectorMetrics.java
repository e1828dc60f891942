package dev.choreo.collector.metrics;

import dev.choreo.collector.flow.Flow;
import dev.choreo.collector.flow.Outcome;
import dev.choreo.collector.flow.Vocabulary;
import dev.choreo.collector.process.DeadLetter;
import dev.choreo.collector.process.Eviction;
import dev.choreo.collector.process.ProcessObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The collector's counters and histograms, all named {@code choreo_*} and tagged with low-cardinality values
 * only (steps and services of the declared flow, outcomes, event types): never an order or correlation id.
 */
public final class CollectorMetrics implements ProcessObserver {

    /** Bounds the learned-transition series even if someone publishes many new event types. */
    private static final int MAX_TRANSITION_SERIES = 256;
    /** Bounds the untracked dead-letter series whatever reasons the services write; beyond, one "other" series. */
    private static final int MAX_UNTRACKED_DEAD_LETTER_SERIES = 64;
    private static final String OTHER = "other";
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
        Duration.ofMinutes(5), Duration.ofMinutes(15)};

    private final MeterRegistry registry;
    private final Vocabulary vocabulary;
    private final Counter started;
    private final Map<Outcome, Counter> ended = new EnumMap<>(Outcome.class);
    private final Map<Outcome, Timer> endToEnd = new EnumMap<>(Outcome.class);
    private final Timer[] stepDurations;
    private final Counter ingested;
    private final Counter duplicates;
    private final Map<String, Counter> unreadable = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> transitions = new ConcurrentHashMap<>();
    private final Map<String, Counter> actions = new ConcurrentHashMap<>();
    private final Map<Eviction, Counter> evictions = new EnumMap<>(Eviction.class);
    private final Map<List<String>, Counter> untrackedDeadLetters = new ConcurrentHashMap<>();

    public CollectorMetrics(MeterRegistry registry, Flow flow) {
        this.registry = registry;
        this.vocabulary = flow.vocabulary();
        this.started = Counter.builder("choreo.processes.started")
                .description("Processes seen starting (first event of a correlation id)").register(registry);
        for (Outcome outcome : Outcome.values()) {
            if (outcome.isFlowEnd()) {
                ended.put(outcome, Counter.builder("choreo.processes.ended").tag("outcome", outcome.name())
                        .description("Processes ended, by outcome").register(registry));
                endToEnd.put(outcome, Timer.builder("choreo.process.duration").tag("outcome", outcome.name())
                        .description("First event to end of a process (event time)")
                        .serviceLevelObjectives(LATENCY_BUCKETS).register(registry));
            }
        }
        this.stepDurations = flow.steps().stream()
                .map(step -> Timer.builder("choreo.step.duration").tag("step", step.name())
                        .description("From a step's event to the follow-up that satisfied it (event time)")
                        .serviceLevelObjectives(LATENCY_BUCKETS).register(registry))
                .toArray(Timer[]::new);
        this.ingested = Counter.builder("choreo.events.ingested").description("Records applied to processes")
                .register(registry);
        this.duplicates = Counter.builder("choreo.events.duplicates")
                .description("Events seen again with an event id already on the process (redeliveries)")
                .register(registry);
        for (Eviction reason : Eviction.values()) {
            evictions.put(reason, Counter.builder("choreo.processes.evicted").tag("reason", reason.label())
                    .description("Open processes let go to stay within the memory limits, by the limit reached")
                    .register(registry));
        }
    }

    @Override
    public void started() {
        started.increment();
    }

    @Override
    public void ended(Outcome outcome, long durationMillis) {
        ended.get(outcome).increment();
        endToEnd.get(outcome).record(Math.max(0, durationMillis), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stepCompleted(Flow.Step step, long durationMillis) {
        stepDurations[step.index()].record(Math.max(0, durationMillis), TimeUnit.MILLISECONDS);
    }

    @Override
    public void transition(int fromType, int toType, long latencyMillis) {
        int key = fromType << 16 | toType;
        Counter counter = transitions.get(key);
        if (counter == null && transitions.size() < MAX_TRANSITION_SERIES) {
            counter = transitions.computeIfAbsent(key, k -> Counter.builder("choreo.choreography.transitions")
                    .tag("from", vocabulary.name(fromType)).tag("to", vocabulary.name(toType))
                    .description("Learned choreography: an event caused by another, by type pair").register(registry));
        }
        if (counter != null) {
            counter.increment();
        }
    }

    @Override
    public void deadLettered(DeadLetter deadLetter) {
        String group = deadLetter.group() == null ? "unknown" : deadLetter.group();
        deadLetters.computeIfAbsent(group, g -> Counter.builder("choreo.dead.letters").tag("consumer_group", g)
                .description("Dead-lettered records read, by the consumer group that gave up")
                .register(registry)).increment();
    }

    @Override
    public void duplicate() {
        duplicates.increment();
    }

    @Override
    public void evicted(Eviction reason) {
        evictions.get(reason).increment();
    }

    @Override
    public void deadLetterUntracked(String deadLetterTopic, DeadLetter deadLetter) {
        String group = deadLetter.group() == null ? "unknown" : deadLetter.group();
        String reason = deadLetter.reason() != null ? deadLetter.reason()
                : deadLetter.exceptionClass() != null ? deadLetter.exceptionClass() : "unknown";
        List<String> labels = List.of(deadLetterTopic, group, reason);
        Counter counter = untrackedDeadLetters.get(labels);
        if (counter == null) {
            if (untrackedDeadLetters.size() >= MAX_UNTRACKED_DEAD_LETTER_SERIES) {
                labels = List.of(OTHER, OTHER, OTHER);
            }
            counter = untrackedDeadLetters.computeIfAbsent(labels, l -> Counter.builder("choreo.dead.letters.untracked")
                    .tag("topic", l.get(0)).tag("consumer_group", l.get(1)).tag("reason", l.get(2))
                    .description("Dead letters of no known process, not opened as a process because the processes"
                            + " known only from dead letters were at their cap (max-dead-letter-processes)")
                    .register(registry));
        }
        counter.increment();
        deadLettered(deadLetter);
    }

    public void ingested(int count) {
        ingested.increment(count);
    }

    public void unreadable(String topic) {
        unreadable.computeIfAbsent(topic, t -> Counter.builder("choreo.events.unreadable").tag("topic", t)
                .description("Records on process topics that are no readable event (skipped)").register(registry))
                .increment();
    }

    /** An operator action carried out: redrive, cancel or timeout (the automatic cancel). */
    public void action(String action) {
        actions.computeIfAbsent(action, a -> Counter.builder("choreo.operator.actions").tag("action", a)
                .description("Operator actions published by the collector").register(registry)).increment();
    }
}
