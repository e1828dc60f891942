package dev.choreo.collector.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.collector.OrderStory;
import dev.choreo.collector.TestFlows;
import dev.choreo.collector.flow.ChoreographyMap;
import dev.choreo.collector.flow.Flow;
import dev.choreo.collector.flow.Vocabulary;
import dev.choreo.collector.ingest.RecordDecoder;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the business-key index costs per process and indexed field: the retained heap of the same 50 000 in-flight
 * processes (OrderPlaced, InventoryUpdated, OrderPayed each) without search fields, with customerId, and with
 * customerId and sku. A worst case for customerId (a different customer on every order: the value string is the
 * process's own) and a usual one for sku (two lines from a catalogue of 50: the strings are shared), every process
 * indexed (no value at its {@code max-per-value}). Prints the
 * figures (README, Memory); asserts only a generous bound, as a heap measurement on a shared machine is noisy.
 */
class SearchIndexMemoryTest {

    private static final int PROCESSES = 50_000;
    private static final int PARTITIONS = 6;

    @Test
    void measuresTheRetainedBytesPerIndexedFieldPerProcess() throws InterruptedException {
        Map<String, String> customer = Map.of("customerId", "$.customerId");
        Map<String, String> both = new LinkedHashMap<>(customer);
        both.put("sku", "$.lines[*].sku");

        double none = bytesPerProcess(Map.of());
        double withCustomer = bytesPerProcess(customer);
        double withBoth = bytesPerProcess(both);
        System.out.printf("search index, %,d in-flight processes: %.0f B per process without search fields, %.0f with"
                + " customerId (+%.0f), %.0f with customerId and sku (+%.0f for sku, two values a process)%n",
                PROCESSES, none, withCustomer, withCustomer - none, withBoth, withBoth - withCustomer);
        assertThat(withBoth - none).as("both fields, per process").isLessThan(400);
    }

    private static double bytesPerProcess(Map<String, String> fields) throws InterruptedException {
        Flow flow = new Flow(TestFlows.shipped(), new Vocabulary());
        RecordDecoder decoder = new RecordDecoder(flow, fields);
        long baseline = usedHeapAfterGc();
        ProcessStore store = new ProcessStore(flow, new Settings(48, 1000, Duration.ofMillis(100), null,
                Integer.MAX_VALUE, null, Integer.MAX_VALUE, List.copyOf(fields.keySet()), PROCESSES),
                new ChoreographyMap(flow.vocabulary()), ProcessObserver.NONE, (a, b, c, d) -> { }, Clock.systemUTC());
        for (String topic : Topics.PROCESS_TOPICS) {
            for (int p = 0; p < PARTITIONS; p++) {
                store.track(topic, p, 0);
            }
        }
        long[] offsets = new long[Topics.PROCESS_TOPICS.size() * PARTITIONS];
        Instant start = Instant.now();
        for (int i = 0; i < PROCESSES; i++) {
            OrderStory story = new OrderStory("ord-" + i, start);
            int partition = i % PARTITIONS;
            List<IngestedEvent> events = new ArrayList<>(3);
            for (EventEnvelope<?> envelope : List.of(story.placed("customer-" + i, "SKU-" + i % 50,
                    "SKU-" + (i + 1) % 50), story.reserved(), story.paid())) {
                int slot = Topics.PROCESS_TOPICS.indexOf(envelope.topic()) * PARTITIONS + partition;
                events.add(decoder.decode(OrderStory.consumed(envelope, partition, offsets[slot]++), true));
            }
            store.apply(events);
        }
        long used = usedHeapAfterGc() - baseline;
        assertThat(store.counts().open()).isEqualTo(PROCESSES);
        assertThat(store.counts().searchKeys()).isEqualTo(PROCESSES * (fields.size() == 2 ? 3 : fields.size()));
        return (double) used / PROCESSES;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
