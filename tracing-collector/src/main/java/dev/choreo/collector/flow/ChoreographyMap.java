package dev.choreo.collector.flow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * The choreography as observed: which event type follows which (linked by causation id, so the order of
 * arrival does not matter), how often, and how long after. Nobody draws it: a new service or event shows up
 * as soon as it is published. Rebuilt with the state on replay.
 */
public final class ChoreographyMap {

    /** One hour at two significant digits: enough for percentiles of event-to-event latency. */
    private static final long HIGHEST_LATENCY_MILLIS = 3_600_000L;

    private final Vocabulary vocabulary;
    private final Map<Integer, Node> nodes = new ConcurrentHashMap<>();
    private final Map<Integer, Edge> edges = new ConcurrentHashMap<>();

    public ChoreographyMap(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    public void recordEvent(int type, int producer, int topic) {
        nodes.computeIfAbsent(type, t -> new Node(producer, topic)).seen(producer, topic);
    }

    public void recordTransition(int fromType, int toType, long latencyMillis) {
        edges.computeIfAbsent(fromType << 16 | toType, key -> new Edge()).record(latencyMillis);
    }

    public Snapshot snapshot() {
        List<NodeView> nodeViews = new ArrayList<>();
        nodes.forEach((type, node) -> nodeViews.add(new NodeView(vocabulary.name(type),
                vocabulary.name(node.producer), vocabulary.name(node.topic), node.count.sum())));
        nodeViews.sort(Comparator.comparing(NodeView::event));
        List<EdgeView> edgeViews = new ArrayList<>();
        edges.forEach((key, edge) -> edgeViews.add(edge.view(vocabulary.name(key >>> 16), vocabulary.name(key & 0xFFFF))));
        edgeViews.sort(Comparator.comparing(EdgeView::from).thenComparing(EdgeView::to));
        return new Snapshot(nodeViews, edgeViews);
    }

    private static final class Node {
        private final LongAdder count = new LongAdder();
        private volatile int producer;
        private volatile int topic;

        Node(int producer, int topic) {
            this.producer = producer;
            this.topic = topic;
        }

        void seen(int producer, int topic) {
            count.increment();
            this.producer = producer;
            this.topic = topic;
        }
    }

    private static final class Edge {
        private final Histogram latencies = new Histogram(HIGHEST_LATENCY_MILLIS, 2);
        private long count;

        synchronized void record(long latencyMillis) {
            count++;
            latencies.recordValue(Math.min(HIGHEST_LATENCY_MILLIS, Math.max(0, latencyMillis)));
        }

        synchronized EdgeView view(String from, String to) {
            return new EdgeView(from, to, count, latencies.getValueAtPercentile(50),
                    latencies.getValueAtPercentile(90), latencies.getValueAtPercentile(99), latencies.getMaxValue());
        }
    }

    /** An event type as seen: who publishes it, where, how often. */
    public record NodeView(String event, String producer, String topic, long count) {
    }

    /** {@code to} was caused by {@code from} this many times, this long after it (milliseconds, event time). */
    public record EdgeView(String from, String to, long count, long p50Millis, long p90Millis, long p99Millis,
            long maxMillis) {
    }

    public record Snapshot(List<NodeView> nodes, List<EdgeView> edges) {
    }
}
