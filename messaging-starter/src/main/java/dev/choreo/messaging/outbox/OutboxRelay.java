package dev.choreo.messaging.outbox;

import dev.choreo.messaging.MessagingProperties;
import dev.choreo.messaging.tracing.TraceContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Sends the committed outbox to Kafka: a batch of rows in id order (the commit order of each order's records), all
 * in flight at once on the idempotent producer, which keeps their order per partition; then one statement deletes
 * the acknowledged rows. A failed send stays in the outbox and is tried again first, after a pause, so it is never
 * overtaken by a later record of its key; it is only sent again once its first send has failed for good. After a
 * crash, the rows the relay had sent but not yet deleted are sent once more (consumers are idempotent on the event
 * id).
 *
 * <p>One thread, woken by every commit that wrote to the outbox. Only the instance that holds the {@link RelayLease}
 * sends, so two instances of a service do not send the same row in normal operation.
 */
class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final ProducerFactory<Object, Object> producers;
    private final RelayLease lease;
    private final TopicReadiness topics;
    private final MessagingProperties.Outbox settings;
    private final Clock clock;
    private final Counter sent;
    private final Counter failedSends;
    private final AtomicBoolean wakeUp = new AtomicBoolean();
    private volatile boolean running;
    private volatile Thread thread;
    private volatile RelayState state = RelayState.starting();
    private volatile boolean topicsReady;

    OutboxRelay(JdbcClient jdbc, JdbcTemplate jdbcTemplate, ProducerFactory<Object, Object> producers,
            RelayLease lease, TopicReadiness topics, MessagingProperties.Outbox settings, Clock clock,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.producers = producers;
        this.lease = lease;
        this.topics = topics;
        this.settings = settings;
        this.clock = clock;
        this.sent = Counter.builder("choreo.outbox.sent").description("records the outbox relay sent and Kafka acknowledged")
                .register(meters);
        this.failedSends = Counter.builder("choreo.outbox.send.failures")
                .description("records Kafka did not acknowledge; they stay in the outbox and are sent again")
                .register(meters);
        meters.gauge("choreo.outbox.backlog", this, OutboxRelay::backlog);
    }

    /** Called after every commit that wrote to the outbox. */
    void wakeUp() {
        wakeUp.set(true);
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    RelayState state() {
        return state;
    }

    /** For readiness: empty once the topics exist with a leader for every partition, else what is missing. */
    Optional<String> waitingForTopics() {
        if (topicsReady) {
            return Optional.empty();
        }
        String failure = state.failure();
        return Optional.of(failure != null ? failure : "the topics " + topics + " are not checked yet");
    }

    @Override
    public void start() {
        running = true;
        topicsReady = false;
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(Duration.ofSeconds(15).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            lease.release();
        } catch (RuntimeException e) {
            log.debug("Could not release the outbox lease: {}", e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Starts before and stops after the listeners and the web server (which write to the outbox), so their last
     * commits still go out.
     */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 4096;
    }

    private void run() {
        Duration backoff = settings.retryBackoff();
        while (running) {
            try {
                if (!topicsReady) {
                    String missing = topics.check();
                    if (missing != null) {
                        state = RelayState.failing("waiting for the topics: " + missing, clock.instant(), state);
                        backoff = pause(backoff);
                        continue;
                    }
                    topicsReady = true;
                }
                if (!lease.hold()) {
                    state = RelayState.standby();
                    park(settings.idlePoll());
                    continue;
                }
                wakeUp.set(false);
                Round round = sendRound();
                if (round.failure() != null) {
                    state = RelayState.failing(round.failure(), clock.instant(), state);
                    backoff = pause(backoff);
                } else {
                    state = RelayState.sending();
                    backoff = settings.retryBackoff();
                    if (round.sent() < settings.batchSize() && !wakeUp.get()) {
                        park(settings.idlePoll());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // the database is away, most likely: the rows are safe in it, try again after a pause
                state = RelayState.failing(e.toString(), clock.instant(), state);
                if (jvmShuttingDown()) {
                    // an embedded database (H2) closes itself in its own shutdown hook, while Spring is still
                    // stopping this relay: expected, and nothing is lost
                    log.debug("Outbox relay, during shutdown: {}", e.toString());
                } else {
                    log.warn("Outbox relay: {}", e.toString());
                }
                backoff = pause(backoff);
            }
        }
    }

    private record Round(int sent, String failure) {
    }

    /** The JVM refuses new shutdown hooks once it is shutting down. */
    private static boolean jvmShuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shuttingDown) {
            return true;
        }
    }

    private Round sendRound() throws InterruptedException {
        List<OutboxRecord> batch = jdbc.sql("""
                SELECT id, topic, partition_no, record_key, headers, payload FROM outbox_record ORDER BY id
                FETCH FIRST %d ROWS ONLY""".formatted(settings.batchSize()))
                .query((rs, n) -> new OutboxRecord(rs.getLong(1), rs.getString(2), (Integer) rs.getObject(3),
                        rs.getString(4), OutboxHeaders.decode(rs.getBytes(5)), rs.getBytes(6)))
                .list();
        if (batch.isEmpty()) {
            return new Round(0, null);
        }
        Producer<Object, Object> producer = producers.createProducer();
        List<Future<RecordMetadata>> inFlight = new ArrayList<>(batch.size());
        String failure = null;
        for (OutboxRecord row : batch) {
            try {
                inFlight.add(send(producer, row));
            } catch (RuntimeException e) {
                // nothing after a record that could not even be handed over may overtake it
                failure = "cannot send outbox row " + row.id() + " to " + row.topic() + ": " + e;
                break;
            }
        }
        List<Long> acknowledged = new ArrayList<>(inFlight.size());
        for (int i = 0; i < inFlight.size(); i++) {
            try {
                inFlight.get(i).get(Duration.ofMinutes(2).toMillis(), TimeUnit.MILLISECONDS);
                acknowledged.add(batch.get(i).id());
            } catch (ExecutionException | TimeoutException e) {
                failedSends.increment();
                if (failure == null) {
                    failure = "Kafka did not acknowledge outbox row " + batch.get(i).id() + " for "
                            + batch.get(i).topic() + ": " + (e.getCause() == null ? e : e.getCause());
                }
            }
        }
        delete(acknowledged);
        sent.increment(acknowledged.size());
        if (failure != null) {
            log.warn("Outbox relay: {}; {} of {} sent, the rest stays in the outbox and goes out again",
                    failure, acknowledged.size(), batch.size());
        }
        return new Round(acknowledged.size(), failure);
    }

    private static Future<RecordMetadata> send(Producer<Object, Object> producer, OutboxRecord row) {
        List<Header> headers = new ArrayList<>(row.headers().size());
        for (Header header : row.headers()) {
            if (!TraceContext.HEADERS.contains(header.key())) {
                headers.add(header);
            }
        }
        var record = new ProducerRecord<Object, Object>(row.topic(), row.partition(), row.key(), row.payload(),
                headers);
        // the publish span (OpenTelemetry agent) continues the trace of the transaction that wrote the row
        try (Scope ignored = TraceContext.restoreFrom(row.headers())) {
            return producer.send(record);
        }
    }

    /**
     * Deletes by runs of consecutive ids ({@code BETWEEN}), one batched statement: a run holds only ids this round
     * sent, so a row committed later with a lower id is never deleted unsent.
     */
    private void delete(List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        List<Object[]> runs = new ArrayList<>();
        long first = ids.get(0);
        long last = first;
        for (int i = 1; i < ids.size(); i++) {
            long id = ids.get(i);
            if (id != last + 1) {
                runs.add(new Object[] {first, last});
                first = id;
            }
            last = id;
        }
        runs.add(new Object[] {first, last});
        jdbcTemplate.batchUpdate("DELETE FROM outbox_record WHERE id BETWEEN ? AND ?", runs);
    }

    private double backlog() {
        try {
            Long count = jdbc.sql("SELECT count(*) FROM outbox_record").query(Long.class).single();
            return count == null ? Double.NaN : count;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private Duration pause(Duration backoff) {
        park(backoff);
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(settings.retryMaxBackoff()) > 0 ? settings.retryMaxBackoff() : next;
    }

    private void park(Duration duration) {
        if (running) {
            LockSupport.parkNanos(duration.toNanos());
        }
    }

    /** What the relay is doing, for the health indicator. */
    record RelayState(String phase, String failure, Instant failingSince) {

        static RelayState starting() {
            return new RelayState("starting", null, null);
        }

        static RelayState sending() {
            return new RelayState("sending", null, null);
        }

        static RelayState standby() {
            return new RelayState("standby: another instance holds the outbox lease", null, null);
        }

        static RelayState failing(String failure, Instant now, RelayState previous) {
            return new RelayState("retrying", failure,
                    previous.failingSince() != null ? previous.failingSince() : now);
        }
    }
}
