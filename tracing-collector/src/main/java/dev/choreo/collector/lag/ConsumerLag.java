package dev.choreo.collector.lag;

import dev.choreo.collector.CollectorProperties;
import dev.choreo.collector.PeriodicTask;
import dev.choreo.collector.diagnosis.ConsumerGroupProbe;
import dev.choreo.collector.diagnosis.OldestWaiting;
import dev.choreo.collector.flow.Flow;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * The consumer lag of every service's group in seconds: per topic-partition it has committed on, the age of the
 * oldest record it has not consumed yet, i.e. now minus the append time of the record at its committed offset, and
 * 0 when it has consumed everything. So an idle topic is 0 however long ago its last record came (no false alarm on
 * a quiet topic), and a group replaying old records shows the real age of what waits, not an interpolation of
 * offsets over time. The append time comes from what the collector read itself ({@link OffsetTimes}), else from the
 * record fetched at that offset ({@link RecordFetcher}, its timestamp).
 *
 * <p>Every {@code lag.interval} one describe and one committed-offsets call per group (the diagnosis probe's, cached
 * 2 s) and one end-offsets call for all; the gauges compute the age at scrape time from the append time found.
 */
@Component
class ConsumerLag implements SmartLifecycle, OldestWaiting {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLag.class);

    private final ConsumerGroupProbe probe;
    private final OffsetTimes offsetTimes;
    private final RecordFetcher fetcher;
    private final Clock clock;
    private final CollectorProperties.Lag settings;
    private final List<String> groups;
    private final MultiGauge perPartition;
    /** The last check, per group; absent while its group could not be asked yet. */
    private final Map<String, GroupLag> latest = new ConcurrentHashMap<>();
    /** Append times a diagnosis had fetched between two checks, per partition and offset; emptied by each check. */
    private final Map<TopicPartition, Map<Long, Long>> fetchedForDiagnosis = new ConcurrentHashMap<>();
    /** Whether the last check failed: an outage is logged once, not every interval. */
    private volatile boolean failing;
    private final PeriodicTask task;

    ConsumerLag(ConsumerGroupProbe probe, OffsetTimes offsetTimes, KafkaAdmin kafkaAdmin, Flow flow,
            CollectorProperties properties, Clock clock, MeterRegistry registry) {
        this.probe = probe;
        this.offsetTimes = offsetTimes;
        this.fetcher = new RecordFetcher(kafkaAdmin.getConfigurationProperties(),
                properties.diagnosis().adminTimeout());
        this.clock = clock;
        this.settings = properties.lag();
        // a failed check leaves the gauges at the last measurement
        this.task = new PeriodicTask("consumer-lag", Duration.ZERO, settings.interval(), this::check);
        Set<String> named = new TreeSet<>();
        flow.expectations().forEach(expectation -> named.add(properties.groupOf(expectation.service())));
        this.groups = List.copyOf(named);
        this.perPartition = MultiGauge.builder("choreo.consumer.lag.seconds")
                .description("Age of the oldest record a service's consumer group has not consumed yet, per"
                        + " topic-partition it committed on (0: nothing waiting)")
                .baseUnit("seconds").register(registry);
        for (String group : groups) {
            Gauge.builder("choreo.consumer.lag.max.seconds", this, lag -> lag.maxSeconds(group)).tag("group", group)
                    .description("Age of the oldest record a service's consumer group has not consumed yet, over"
                            + " all its topic-partitions").register(registry);
            Gauge.builder("choreo.consumer.group.members", this, lag -> lag.members(group)).tag("group", group)
                    .description("Live members of a service's consumer group").register(registry);
        }
    }

    void check() {
        Map<String, ConsumerGroupProbe.GroupState> states = new HashMap<>();
        Set<TopicPartition> committedOn = new HashSet<>();
        Map<TopicPartition, Long> ends;
        try {
            for (String group : groups) {
                ConsumerGroupProbe.GroupState state = probe.group(group);
                states.put(group, state);
                committedOn.addAll(state.committed().keySet());
            }
            ends = committedOn.isEmpty() ? Map.of() : probe.endOffsetsNow(committedOn);
        } catch (ConsumerGroupProbe.ProbeException e) {
            // the gauges keep the last check: their ages still grow with the clock
            if (!failing) {
                log.warn("Could not ask Kafka for the consumer lag, keeping the last measurement: {}", e.getMessage());
            }
            failing = true;
            return;
        }
        if (failing) {
            log.info("Measuring the consumer lag again");
            failing = false;
        }
        fetchedForDiagnosis.clear();
        Map<TopicPartition, Map<Long, Long>> fetched = fetchUnknown(states, ends);
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        states.forEach((group, state) -> {
            List<PartitionLag> partitions = new ArrayList<>();
            state.committed().forEach((tp, committed) -> {
                long end = ends.getOrDefault(tp, committed);
                long oldest = committed >= end ? Long.MIN_VALUE
                        : offsetTimes.nextAppendedAt(tp, committed).orElse(
                                fetched.getOrDefault(tp, Map.of()).getOrDefault(committed, Long.MIN_VALUE));
                PartitionLag lag = new PartitionLag(tp, committed, oldest);
                partitions.add(lag);
                if (rows.size() < settings.maxSeries()) {
                    rows.add(MultiGauge.Row.of(Tags.of("group", group, "topic", tp.topic(), "partition",
                            String.valueOf(tp.partition())), lag, l -> seconds(l.oldestAppendedAt())));
                }
            });
            latest.put(group, new GroupLag(state.members(), List.copyOf(partitions)));
        });
        // overwrite: a partition no longer committed on leaves the scrape
        perPartition.register(rows, true);
    }

    /**
     * The append time of the record at each committed offset waiting that no ring knows: kept from the last check
     * where a group still stands there (it is a fact about that offset), else fetched, all partitions in one go.
     */
    private Map<TopicPartition, Map<Long, Long>> fetchUnknown(Map<String, ConsumerGroupProbe.GroupState> states,
            Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Map<Long, Long>> found = new HashMap<>();
        latest.values().forEach(group -> group.partitions().forEach(lag ->
                found.computeIfAbsent(lag.tp(), k -> new HashMap<>()).put(lag.committed(), lag.oldestAppendedAt())));
        Map<TopicPartition, TreeSet<Long>> unknown = new HashMap<>();
        states.values().forEach(state -> state.committed().forEach((tp, committed) -> {
            if (committed < ends.getOrDefault(tp, committed) && offsetTimes.nextAppendedAt(tp, committed).isEmpty()
                    && found.getOrDefault(tp, Map.of()).getOrDefault(committed, Long.MIN_VALUE) == Long.MIN_VALUE) {
                unknown.computeIfAbsent(tp, k -> new TreeSet<>()).add(committed);
            }
        }));
        // one fetch per round; more than one round only where groups stand at different offsets of a partition
        while (!unknown.isEmpty()) {
            Map<TopicPartition, Long> positions = new HashMap<>();
            unknown.forEach((tp, offsets) -> positions.put(tp, offsets.pollFirst()));
            unknown.values().removeIf(Set::isEmpty);
            fetcher.nextTimestamps(positions, ends).forEach((tp, timestamp) ->
                    found.computeIfAbsent(tp, k -> new HashMap<>()).put(positions.get(tp), timestamp));
        }
        return found;
    }

    @Override
    public OptionalLong appendedAt(String group, TopicPartition tp, long committed, long end) {
        GroupLag last = latest.get(group);
        if (last != null) {
            for (PartitionLag lag : last.partitions()) {
                if (lag.tp().equals(tp) && lag.committed() == committed && lag.oldestAppendedAt() != Long.MIN_VALUE) {
                    return OptionalLong.of(lag.oldestAppendedAt());
                }
            }
        }
        OptionalLong read = offsetTimes.nextAppendedAt(tp, committed);
        if (read.isPresent()) {
            return read;
        }
        // a list of stuck processes behind one stalled group asks for the same offset many times: fetched once
        Map<Long, Long> known = fetchedForDiagnosis.computeIfAbsent(tp, k -> new ConcurrentHashMap<>());
        Long fetched = known.get(committed);
        if (fetched == null) {
            fetched = fetcher.nextTimestamps(Map.of(tp, committed), Map.of(tp, end)).get(tp);
            if (fetched != null) {
                known.put(committed, fetched);
            }
        }
        return fetched == null || fetched == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(fetched);
    }

    private double seconds(long appendedAt) {
        return appendedAt == Long.MIN_VALUE ? 0 : Math.max(0, clock.millis() - appendedAt) / 1000.0;
    }

    private double maxSeconds(String group) {
        GroupLag lag = latest.get(group);
        return lag == null ? Double.NaN
                : lag.partitions().stream().mapToDouble(p -> seconds(p.oldestAppendedAt())).max().orElse(0);
    }

    private double members(String group) {
        GroupLag lag = latest.get(group);
        return lag == null ? Double.NaN : lag.members();
    }

    @Override
    public void start() {
        task.start();
    }

    @Override
    public void stop() {
        task.stop();
        fetcher.close();
    }

    @Override
    public boolean isRunning() {
        return task.isRunning();
    }

    /** @param oldestAppendedAt append time of the record at {@code committed}; Long.MIN_VALUE when none waits */
    private record PartitionLag(TopicPartition tp, long committed, long oldestAppendedAt) {
    }

    private record GroupLag(int members, List<PartitionLag> partitions) {
    }
}
