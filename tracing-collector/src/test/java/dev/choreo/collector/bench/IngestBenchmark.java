package dev.choreo.collector.bench;

import dev.choreo.collector.OrderStory;
import dev.choreo.collector.TestFlows;
import dev.choreo.collector.flow.ChoreographyMap;
import dev.choreo.collector.flow.Flow;
import dev.choreo.collector.flow.Outcome;
import dev.choreo.collector.flow.Vocabulary;
import dev.choreo.collector.ingest.AppendClock;
import dev.choreo.collector.ingest.RecordDecoder;
import dev.choreo.collector.process.IngestedEvent;
import dev.choreo.collector.process.ProcessObserver;
import dev.choreo.collector.process.ProcessStore;
import dev.choreo.collector.process.Settings;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Ingest benchmark: decodes and applies realistic records (envelope JSON + headers, as consumed) for N
 * processes, each left in flight after OrderPlaced, InventoryUpdated and OrderPayed. Prints the ingest rate
 * (decode + state machine + timers, Kafka fetch excluded), the retained heap per in-flight process, and the
 * cost of the timer wheel when all N deadlines fall due within five seconds. Run once with process records only,
 * once with one dead letter of no known process (a random key, no correlation id) for every nine of them (10 %),
 * and once as a flood: N poison records among a thousand processes that stall, with the collector's default cap on
 * processes known only from dead letters.
 *
 * <p>Run: {@code ./mvnw -B -pl tracing-collector -am -Pbench -DskipTests verify} (-Dbench.processes=...).
 */
public final class IngestBenchmark {

    private static final int PARTITIONS = 6;
    private static final int CHUNK = 1000;
    private static final Duration SHIP_DEADLINE = Duration.ofSeconds(60);
    /** The default of choreo.collector.max-dead-letter-processes. */
    private static final int DEAD_LETTER_PROCESSES = 10_000;

    private static final String POISON_TOPIC = Topics.deadLetterOf(Topics.ORDER_EVENTS);
    private static final byte[] GROUP = "inventory-service".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REASON = "MALFORMED_JSON".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOT_JSON = "not json".getBytes(StandardCharsets.UTF_8);

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int processes = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        System.out.printf("tracing-collector ingest benchmark: %,d processes, %d partitions, %s, %d cores, max heap %d MiB%n",
                processes, PARTITIONS, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

        run(Math.min(processes, 200_000), false, false);
        run(processes, true, false);
        run(processes, true, true);
        flood(processes);
    }

    private static ProcessStore store(Flow flow, int maxOpenProcesses) {
        ProcessStore store = new ProcessStore(flow, new Settings(48, 100_000, Duration.ofMillis(100), null,
                maxOpenProcesses, null, DEAD_LETTER_PROCESSES), new ChoreographyMap(flow.vocabulary()), ProcessObserver.NONE,
                (a, b, c, d) -> { }, Clock.systemUTC());
        for (String topic : Topics.PROCESS_TOPICS) {
            for (int p = 0; p < PARTITIONS; p++) {
                store.track(topic, p, 0);
                store.caughtUp(topic, p, true);
                store.track(Topics.deadLetterOf(topic), p, 0);
                store.caughtUp(Topics.deadLetterOf(topic), p, true);
            }
        }
        return store;
    }

    /**
     * @param deadLetters one dead letter of no known process for every nine process records
     */
    private static void run(int processes, boolean report, boolean deadLetters) throws InterruptedException {
        Flow flow = new Flow(TestFlows.shipped(), new Vocabulary());
        RecordDecoder decoder = new RecordDecoder(flow);
        // room for every process in flight and the processes known only from dead letters: nothing is evicted
        ProcessStore store = store(flow, processes + DEAD_LETTER_PROCESSES);
        // the listener's append-time lookups, with the records as a backlog written before the collector looked (their
        // timestamps, = occurredAt here, are the estimate), so the deadlines fall due as the timer part expects
        AppendClock appendClock = new AppendClock();
        for (String topic : Topics.PROCESS_TOPICS) {
            for (int p = 0; p < PARTITIONS; p++) {
                appendClock.of(topic, p).sample(Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE);
                appendClock.of(Topics.deadLetterOf(topic), p).sample(Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE);
            }
        }
        long[] deadLetterOffsets = new long[PARTITIONS];
        long deadLetterCount = 0;
        long baseline = usedHeapAfterGc();
        // OrderPayed of process i occurs so that its shipping deadline falls 10..15 s after ingest starts
        Instant dueFrom = Instant.now().plusSeconds(10).minus(SHIP_DEADLINE);
        long[] offsets = new long[PARTITIONS * 8];
        long applyNanos = 0;
        long decodeNanos = 0;
        long events = 0;
        long bytes = 0;
        for (int chunk = 0; chunk < processes; chunk += CHUNK) {
            List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(CHUNK * 3);
            for (int i = chunk; i < Math.min(processes, chunk + CHUNK); i++) {
                OrderStory story = new OrderStory("ord-" + i, dueFrom.plusMillis(5_000L * i / processes).minusMillis(20));
                int partition = i % PARTITIONS;
                for (EventEnvelope<?> envelope : List.of(story.placed(), story.advance(10).reserved(),
                        story.advance(10).paid())) {
                    int topicIndex = Topics.PROCESS_TOPICS.indexOf(envelope.topic());
                    ConsumerRecord<byte[], byte[]> record = OrderStory.consumed(envelope, partition,
                            offsets[topicIndex * PARTITIONS + partition]++);
                    bytes += record.serializedValueSize();
                    batch.add(record);
                }
                if (deadLetters && i % 3 == 2) {
                    batch.add(poison(partition, deadLetterOffsets[partition]++));
                    deadLetterCount++;
                }
            }
            batch.sort(Comparator.comparingInt(ConsumerRecord::partition));
            long start = System.nanoTime();
            List<IngestedEvent> decoded = new ArrayList<>(batch.size());
            AppendClock.Bracket window = appendClock.bracket(Long.MAX_VALUE);
            for (ConsumerRecord<byte[], byte[]> record : batch) {
                window.of(record.topic(), record.partition(), record.offset());
                decoded.add(decoder.decode(record, true, window.notBefore(), window.notAfter()));
            }
            long decodedAt = System.nanoTime();
            decodeNanos += decodedAt - start;
            store.apply(decoded);
            applyNanos += System.nanoTime() - start;
            events += batch.size();
        }
        long used = usedHeapAfterGc() - baseline;
        int open = store.counts().open();

        long maxAdvanceNanos = 0;
        long deadlineEnd = System.currentTimeMillis() + 17_000;
        while (System.currentTimeMillis() < deadlineEnd && store.counts().stuckByExpectation()[2] < processes) {
            long start = System.nanoTime();
            store.advance();
            maxAdvanceNanos = Math.max(maxAdvanceNanos, System.nanoTime() - start);
            Thread.sleep(100);
        }
        int stuck = java.util.Arrays.stream(store.counts().stuckByExpectation()).sum();
        if (!report) {
            System.out.printf("warm-up: %,d events in %.2f s%n", events, applyNanos / 1e9);
            return;
        }
        System.out.printf("%s%n", deadLetters
                ? String.format("with 10 %% dead letters of no known process (%,d, random keys):", deadLetterCount)
                : "process records only:");
        System.out.printf("ingest: %,d events (avg %d bytes of JSON) in %.2f s = %,.0f events/s (decode + apply, one thread;"
                + " decoding %.0f%% of it)%n", events, bytes / (events - deadLetterCount), applyNanos / 1e9,
                events / (applyNanos / 1e9), 100.0 * decodeNanos / applyNanos);
        System.out.printf("memory: %,d processes in flight (%,d of them known only from dead letters), %,d MiB retained"
                + " = %,d bytes per in-flight process%n", open, store.counts().deadLettersOnly(), used >> 20,
                used / Math.max(1, open));
        System.out.printf("timers: %,d of %,d processes flagged STUCK as their deadlines fell due over 5 s; "
                + "longest tick %.1f ms (flagged within tick 100 ms + that of the deadline)%n", stuck, processes,
                maxAdvanceNanos / 1e6);
        if (store.list(Outcome.STUCK, 1).isEmpty()) {
            throw new IllegalStateException("no process was flagged");
        }
    }

    /**
     * N poison records of no known process (random keys, no correlation id) among a thousand processes that stall:
     * the heap stays bounded by the cap on processes known only from dead letters, and the stalls are flagged.
     */
    private static void flood(int poisonRecords) throws InterruptedException {
        Flow flow = new Flow(TestFlows.shipped(), new Vocabulary());
        RecordDecoder decoder = new RecordDecoder(flow);
        ProcessStore store = store(flow, 1_000_000);
        long baseline = usedHeapAfterGc();
        int stalls = 1000;
        long start = System.nanoTime();
        long[] offsets = new long[PARTITIONS];
        long[] deadLetterOffsets = new long[PARTITIONS];
        int perStall = poisonRecords / stalls;
        List<IngestedEvent> batch = new ArrayList<>(CHUNK);
        for (int i = 0; i < stalls; i++) {
            int partition = i % PARTITIONS;
            OrderStory story = new OrderStory("ord-stalled-" + i, Instant.now().minusSeconds(25));
            batch.add(decoder.decode(OrderStory.consumed(story.placed(), partition, offsets[partition]++), true));
            for (int d = 0; d < perStall; d++) {
                int deadPartition = d % PARTITIONS;
                batch.add(decoder.decode(poison(deadPartition, deadLetterOffsets[deadPartition]++), true));
                if (batch.size() >= CHUNK) {
                    store.apply(batch);
                    batch.clear();
                }
            }
        }
        store.apply(batch);
        double seconds = (System.nanoTime() - start) / 1e9;
        long used = usedHeapAfterGc() - baseline;
        ProcessStore.Counts counts = store.counts();
        // the stalls' reserve-stock deadline (30 s) falls due about five seconds after they were read
        long until = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < until && store.list(Outcome.STUCK, stalls).size() < stalls) {
            store.advance();
            Thread.sleep(100);
        }
        int stuck = store.list(Outcome.STUCK, stalls).size();
        System.out.printf("flood: %,d poison records of no known process (random keys) among %,d processes in %.2f s"
                + " = %,.0f records/s; %,d processes open (%,d known only from dead letters, the cap), %,d MiB retained;"
                + " %,d of %,d stalls flagged STUCK%n", (long) perStall * stalls, stalls, seconds,
                perStall * (double) stalls / seconds, counts.open(), counts.deadLettersOnly(), used >> 20, stuck, stalls);
        if (stuck < stalls) {
            throw new IllegalStateException("a stall was not flagged during the flood");
        }
    }

    /** A record its consumer could not read, dead-lettered without the envelope headers, keyed by a random order id. */
    private static ConsumerRecord<byte[], byte[]> poison(int partition, long offset) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("kafka_dlt-original-consumer-group", GROUP);
        headers.add("dlt-reason", REASON);
        byte[] key = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>(POISON_TOPIC, partition, offset, System.currentTimeMillis(),
                TimestampType.CREATE_TIME, key.length, NOT_JSON.length, key, NOT_JSON, headers, Optional.empty());
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
