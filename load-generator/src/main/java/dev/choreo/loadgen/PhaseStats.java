package dev.choreo.loadgen;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.choreo.events.notification.NotificationKind;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What one phase of load saw: every order placed, how its POST went, and whether and how it ended. Written by the
 * HTTP callbacks and the end-event consumer, read by the progress line and the report.
 */
final class PhaseStats {

    /** Up to this many order ids of orders that did not end are kept, to look them up afterwards. */
    private static final int SAMPLE_IDS = 10;

    final String name;
    /** Orders per second asked for; 0 = as fast as the suite takes them. */
    final double targetRate;

    final LongAdder attempted = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final LongAdder ended = new LongAdder();
    final LongAdder unexpectedEnds = new LongAdder();
    final LongAdder duplicateEnds = new LongAdder();
    final AtomicLong open = new AtomicLong();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<Scenario, LongAdder> placedByScenario = new EnumMap<>(Scenario.class);
    private final Map<Scenario, LongAdder> endedByScenario = new EnumMap<>(Scenario.class);
    private final Map<String, LongAdder> unexpected = new ConcurrentHashMap<>();
    private final Map<Scenario, Long> notEndedByScenario = new EnumMap<>(Scenario.class);
    private final List<String> notEndedSample = Collections.synchronizedList(new ArrayList<>());
    private long notEnded;

    private final Histogram endToEnd = Latency.newHistogram();
    private final Histogram endToEndByTimestamp = Latency.newHistogram();
    private final Map<Scenario, Histogram> endToEndByScenario = new EnumMap<>(Scenario.class);
    private final Histogram post = Latency.newHistogram();
    private final Recorder interval = new Recorder(Latency.HIGHEST_MICROS, 2);

    private volatile long firstSendNanos;
    private volatile long lastSendNanos;
    private volatile long lastEndNanos;
    private volatile long finishedNanos;
    /** How far the sender fell behind its schedule at worst (fixed-rate phases). */
    private volatile long maxBehindNanos;

    PhaseStats(String name, double targetRate) {
        this.name = name;
        this.targetRate = targetRate;
        for (Scenario scenario : Scenario.values()) {
            placedByScenario.put(scenario, new LongAdder());
            endedByScenario.put(scenario, new LongAdder());
            endToEndByScenario.put(scenario, Latency.newHistogram());
        }
    }

    void sending(Scenario scenario, long nowNanos, long behindNanos) {
        if (firstSendNanos == 0) {
            firstSendNanos = nowNanos;
        }
        lastSendNanos = nowNanos;
        if (behindNanos > maxBehindNanos) {
            maxBehindNanos = behindNanos;
        }
        attempted.increment();
        placedByScenario.get(scenario).increment();
    }

    synchronized void posted(long micros) {
        Latency.record(post, micros);
    }

    void accepted() {
        accepted.increment();
        open.incrementAndGet();
    }

    void error(String what) {
        errors.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    /** One order reached its end event. Called by the end-event consumer only. */
    synchronized void ended(Scenario scenario, NotificationKind kind, long micros, long timestampMicros, long nowNanos) {
        open.decrementAndGet();
        ended.increment();
        lastEndNanos = nowNanos;
        endedByScenario.get(scenario).increment();
        if (kind != scenario.expectedEnd()) {
            unexpectedEnds.increment();
            unexpected.computeIfAbsent(scenario.label() + " ended " + kind, k -> new LongAdder()).increment();
        }
        Latency.record(endToEnd, micros);
        Latency.record(endToEndByTimestamp, timestampMicros);
        Latency.record(endToEndByScenario.get(scenario), micros);
        interval.recordValue(Math.max(0, Math.min(micros, Latency.HIGHEST_MICROS)));
    }

    /** An accepted order whose end event never came (given up on when the phase's drain time ran out). */
    synchronized void notEnded(Scenario scenario, String orderId) {
        open.decrementAndGet();
        notEnded++;
        notEndedByScenario.merge(scenario, 1L, Long::sum);
        if (notEndedSample.size() < SAMPLE_IDS) {
            notEndedSample.add(orderId);
        }
    }

    void finished(long nowNanos) {
        finishedNanos = nowNanos;
    }

    /** The latencies recorded since the last call, for the progress line. */
    Histogram intervalHistogram() {
        return interval.getIntervalHistogram();
    }

    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    synchronized long notEnded() {
        return notEnded;
    }

    List<String> notEndedSample() {
        synchronized (notEndedSample) {
            return List.copyOf(notEndedSample);
        }
    }

    /** Seconds from the first POST to the last one. */
    double sendSeconds() {
        return firstSendNanos == 0 ? 0 : Math.max(1, lastSendNanos - firstSendNanos) / 1e9;
    }

    /** Seconds from the first POST to the last end event: the window of the end-to-end throughput. */
    double endToEndSeconds() {
        return firstSendNanos == 0 || lastEndNanos == 0 ? 0 : Math.max(1, lastEndNanos - firstSendNanos) / 1e9;
    }

    /** Accepted orders per second while sending. */
    double offeredRate() {
        double seconds = sendSeconds();
        return seconds == 0 ? 0 : accepted.sum() / seconds;
    }

    /** Orders that reached their end event per second, from the first POST to the last end event. */
    double endToEndThroughput() {
        double seconds = endToEndSeconds();
        return seconds == 0 ? 0 : ended.sum() / seconds;
    }

    double maxBehindSeconds() {
        return maxBehindNanos / 1e9;
    }

    long firstSendNanos() {
        return firstSendNanos;
    }

    synchronized Latency endToEnd() {
        return Latency.of(endToEnd);
    }

    synchronized Latency endToEndByTimestamp() {
        return Latency.of(endToEndByTimestamp);
    }

    synchronized Latency endToEnd(Scenario scenario) {
        return Latency.of(endToEndByScenario.get(scenario));
    }

    synchronized Latency post() {
        return Latency.of(post);
    }

    long placed(Scenario scenario) {
        return placedByScenario.get(scenario).sum();
    }

    long endedAs(Scenario scenario) {
        return endedByScenario.get(scenario).sum();
    }

    synchronized long notEnded(Scenario scenario) {
        return notEndedByScenario.getOrDefault(scenario, 0L);
    }

    Map<String, Long> errors() {
        Map<String, Long> copy = new TreeMap<>();
        errors.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    Map<String, Long> unexpected() {
        Map<String, Long> copy = new TreeMap<>();
        unexpected.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    /** True when every accepted order ended, as expected, and no POST failed. */
    boolean allEndedAsExpected() {
        return notEnded() == 0 && unexpectedEnds.sum() == 0 && ended.sum() == accepted.sum();
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("phase", name);
        json.put("targetRate", targetRate == 0 ? "max" : targetRate);
        json.put("attempted", attempted.sum());
        json.put("accepted", accepted.sum());
        json.put("ended", ended.sum());
        json.put("notEnded", notEnded());
        json.put("unexpectedOutcomes", unexpectedEnds.sum());
        json.put("duplicateEndEvents", duplicateEnds.sum());
        json.put("errors", errorCount());
        json.put("errorsByKind", errors());
        json.put("sendSeconds", Latency.round(sendSeconds()));
        json.put("offeredOrdersPerSecond", Latency.round(offeredRate()));
        json.put("endToEndSeconds", Latency.round(endToEndSeconds()));
        json.put("endToEndOrdersPerSecond", Latency.round(endToEndThroughput()));
        json.put("maxBehindScheduleSeconds", Latency.round(maxBehindSeconds()));
        json.put("latencyEndToEnd", endToEnd().toJson());
        json.put("latencyEndToEndByRecordTimestamp", endToEndByTimestamp().toJson());
        json.put("latencyPost", post().toJson());
        Map<String, Object> outcomes = new LinkedHashMap<>();
        for (Scenario scenario : Scenario.values()) {
            if (placed(scenario) == 0) {
                continue;
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("expectedEnd", scenario.expectedEnd().name());
            one.put("placed", placed(scenario));
            one.put("ended", endedAs(scenario));
            one.put("notEnded", notEnded(scenario));
            one.put("latencyEndToEnd", endToEnd(scenario).toJson());
            outcomes.put(scenario.label(), one);
        }
        json.put("outcomes", outcomes);
        json.put("unexpectedOutcomesByKind", unexpected());
        json.put("notEndedSampleOrderIds", notEndedSample());
        return json;
    }
}
