package dev.choreo.loadgen;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.choreo.localsuite.ChoreoService;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The suite's consumer lag (records its services' consumer groups have not handled yet), so a measured phase
 * never starts while the suite still works off the previous one's backlog (an overloaded warm-up, say).
 */
final class SuiteLag implements AutoCloseable {

    private final Admin admin;
    private final List<String> groups = new ArrayList<>();

    SuiteLag(String bootstrapServers) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000"));
        for (ChoreoService service : ChoreoService.values()) {
            groups.add(service.moduleName()); // every service's group is its name (messaging-starter's default)
        }
    }

    /** Records not yet handled, per consumer group of the suite; groups that do not exist are left out. */
    Map<String, Long> lag() throws InterruptedException {
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new LinkedHashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        try {
            for (String group : groups) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                offsets.values().removeIf(java.util.Objects::isNull);
                if (!offsets.isEmpty()) {
                    committed.put(group, offsets);
                    offsets.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                }
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            Map<String, Long> lag = new LinkedHashMap<>();
            committed.forEach((group, offsets) -> lag.put(group, offsets.entrySet().stream()
                    .mapToLong(e -> Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset())).sum()));
            return lag;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot read the suite's consumer lag: " + e.getMessage(), e);
        }
    }

    /**
     * Waits until no consumer group of the suite lags (twice in a row, a second apart) or {@code timeout} passes.
     *
     * @return true when the suite caught up
     */
    boolean awaitCaughtUp(Duration timeout, PrintStream log) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long lastPrint = start;
        int quiet = 0;
        Map<String, Long> lag = Map.of();
        while (System.nanoTime() - deadline < 0) {
            lag = lag();
            long total = lag.values().stream().mapToLong(Long::longValue).sum();
            quiet = total == 0 ? quiet + 1 : 0;
            if (quiet >= 2) {
                if (System.nanoTime() - start > 3_000_000_000L) {
                    log.printf("  the suite caught up after %.0f s%n", (System.nanoTime() - start) / 1e9);
                }
                return true;
            }
            if (System.nanoTime() - lastPrint > 10_000_000_000L) {
                log.println("  waiting for the suite to catch up, records not yet handled: " + lag);
                lastPrint = System.nanoTime();
            }
            Thread.sleep(1_000);
        }
        log.println("  WARNING: the suite did not catch up within " + LoadGenerator.seconds(timeout)
                + "; records not yet handled: " + lag);
        return false;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
