package dev.choreo.collector.metrics;

import dev.choreo.collector.flow.Flow;
import dev.choreo.collector.process.ProcessStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * Gauges of the current state, read from the store at scrape time (one snapshot serves every gauge of a
 * scrape). Label values come from the declared flow only, so the series are fixed at start.
 */
public final class ProcessGauges {

    private static final long SNAPSHOT_MILLIS = 500;

    private final ProcessStore store;
    private volatile ProcessStore.Counts counts;
    private volatile long countedAt;

    public ProcessGauges(ProcessStore store, Flow flow, MeterRegistry registry) {
        this.store = store;
        for (Flow.Step step : flow.steps()) {
            gauge(registry, "choreo.processes.in.flight", "step", step.name(),
                    c -> c.inFlightByStep()[step.index()], "Open processes by the step they wait on");
        }
        gauge(registry, "choreo.processes.in.flight", "step", "none",
                c -> c.inFlightByStep()[flow.steps().size()], "Open processes by the step they wait on");
        for (Flow.Expectation expectation : flow.expectations()) {
            Gauge.builder("choreo.processes.stuck", this, g -> g.counts().stuckByExpectation()[expectation.index()])
                    .tag("step", flow.step(expectation.step()).name()).tag("suspect_service", expectation.service())
                    .description("Stuck processes by the step that missed its deadline and the service that should act")
                    .register(registry);
        }
        Gauge.builder("choreo.processes.stuck", this,
                g -> g.counts().stuckByExpectation()[flow.expectations().size()])
                .tag("step", "incomplete-path").tag("suspect_service", "unknown")
                .description("Stuck processes by the step that missed its deadline and the service that should act")
                .register(registry);
        plain(registry, "choreo.processes.open", c -> c.open(), "Processes in flight (RUNNING, STUCK or FAILED)");
        plain(registry, "choreo.processes.failed", c -> c.failed(), "Open processes with a dead-lettered event");
        plain(registry, "choreo.processes.dead.letters.only", c -> c.deadLettersOnly(),
                "Open processes known only from dead letters (capped by max-dead-letter-processes)");
        plain(registry, "choreo.processes.history", c -> c.history(), "Ended processes kept for viewing");
        plain(registry, "choreo.collector.timers", c -> c.timers(), "Deadline timers scheduled");
        plain(registry, "choreo.search.keys", c -> c.searchKeys(),
                "Entries of the business-key search index: a process in memory and one of its key values each");
        plain(registry, "choreo.collector.replaying.partitions", c -> c.replayingPartitions(),
                "Topic-partitions this instance has not yet read to the end (rebuilding or lagging)");
    }

    private void gauge(MeterRegistry registry, String name, String tag, String value,
            ToDoubleFunction<ProcessStore.Counts> read, String description) {
        Gauge.builder(name, this, g -> read.applyAsDouble(g.counts())).tag(tag, value).description(description)
                .register(registry);
    }

    private void plain(MeterRegistry registry, String name, ToDoubleFunction<ProcessStore.Counts> read,
            String description) {
        Gauge.builder(name, this, g -> read.applyAsDouble(g.counts())).description(description).register(registry);
    }

    private ProcessStore.Counts counts() {
        long now = System.currentTimeMillis();
        ProcessStore.Counts current = counts;
        if (current == null || now - countedAt > SNAPSHOT_MILLIS) {
            current = store.counts();
            counts = current;
            countedAt = now;
        }
        return current;
    }
}
