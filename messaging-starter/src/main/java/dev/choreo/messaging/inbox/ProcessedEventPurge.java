package dev.choreo.messaging.inbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Forgets handled events once they can no longer be delivered again: {@code processed_event} rows older than the
 * retention are deleted on a schedule, in batches (short transactions, no long lock on the table the inbox writes to
 * with every record). The retention must be longer than any redelivery window — the subscribed topics' retention,
 * after which a record is gone from the topic — or a late redelivery would be handled twice.
 */
class ProcessedEventPurge implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProcessedEventPurge.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration retention;
    private final Duration interval;
    private final int batchSize;
    private final Counter purged;
    private ScheduledExecutorService scheduler;

    ProcessedEventPurge(JdbcClient jdbc, Clock clock, Duration retention, Duration interval, int batchSize,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.retention = retention;
        this.interval = interval;
        this.batchSize = batchSize;
        this.purged = Counter.builder("choreo.inbox.processed.purged")
                .description("processed_event rows deleted because they are older than the retention")
                .register(meters);
    }

    /** Deletes every row older than the retention, a batch per transaction; returns how many. */
    int purge() {
        Instant before = clock.instant().minus(retention);
        int total = 0;
        int deleted;
        do {
            // the oldest first, through the processed_at index; each batch commits on its own
            deleted = jdbc.sql("""
                    DELETE FROM processed_event WHERE (consumer, event_id) IN (
                        SELECT consumer, event_id FROM processed_event WHERE processed_at < ?
                        ORDER BY processed_at LIMIT ?)""")
                    .params(Timestamp.from(before), batchSize)
                    .update();
            total += deleted;
            purged.increment(deleted);
        } while (deleted == batchSize);
        if (total > 0) {
            log.info("Purged {} processed_event rows handled before {} (retention {})", total, before, retention);
        }
        return total;
    }

    private void purgeAndCarryOn() {
        try {
            purge();
        } catch (RuntimeException e) {
            // the database may be away; the rows are purged by a later run
            log.warn("Could not purge processed_event, trying again in {}: {}", interval, e.toString());
        }
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "processed-event-purge");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::purgeAndCarryOn, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
