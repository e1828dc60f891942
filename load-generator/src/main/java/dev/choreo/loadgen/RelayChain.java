package dev.choreo.loadgen;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The ceiling: what the same broker does for a five-step choreography when nothing but Kafka is involved. An
 * injector produces records of the suite's size (a real {@code OrderPlaced} record: same key length, value and
 * headers) to topic 0; relay {@code i} (a plain consumer and producer in its own thread) consumes topic
 * {@code i-1} and produces each record to topic {@code i}; a sink consumes the last topic and measures the time
 * from the injection. No database, no HTTP, no JSON parsing. Same partition count and producer settings as the
 * suite (acks=all, idempotence, linger), records keyed like the suite's (order id), offsets committed.
 */
final class RelayChain implements AutoCloseable {

    /** One measured run of the chain. */
    record Result(String name, double targetRate, long sent, long received, double seconds, double throughput,
            Latency latency) {

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("phase", name);
            json.put("targetRate", targetRate == 0 ? "max" : targetRate);
            json.put("sent", sent);
            json.put("received", received);
            json.put("seconds", Latency.round(seconds));
            json.put("recordsPerSecond", Latency.round(throughput));
            json.put("latency", latency.toJson());
            return json;
        }
    }

    private static final String T0_HEADER = "choreo-bench-t0";

    private final String bootstrapServers;
    private final int relays;
    private final int partitions;
    private final RecordSizes template;
    private final int lingerMs;
    private final String prefix = "choreo-bench-relay-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private final List<Thread> threads = new ArrayList<>();
    private final List<Runnable> stoppers = new ArrayList<>();
    private final AtomicLong received = new AtomicLong();
    private static final Duration PRIMING_TIMEOUT = Duration.ofSeconds(60);

    /** The chain was built but records did not get through it (see {@link #awaitFlowing()}). */
    static final class NotFlowingException extends IllegalStateException {
        NotFlowingException(String message) {
            super(message);
        }
    }

    private final LongAdder sendErrors = new LongAdder();
    private final AtomicReference<Exception> firstSendError = new AtomicReference<>();
    private volatile long lastReceivedNanos;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private Histogram histogram = Latency.newHistogram();

    RelayChain(String bootstrapServers, int relays, int partitions, RecordSizes template, int lingerMs) {
        this.bootstrapServers = bootstrapServers;
        this.relays = relays;
        this.partitions = partitions;
        this.template = template;
        this.lingerMs = lingerMs;
    }

    /** The partition count of the suite's process topics, to give the chain's topics the same. */
    static int partitionsOf(String bootstrapServers, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot describe " + topic + ": " + e.getMessage(), e);
        }
    }

    String topic(int i) {
        return prefix + i;
    }

    RelayChain start() {
        List<NewTopic> topics = new ArrayList<>();
        for (int i = 0; i <= relays; i++) {
            topics.add(new NewTopic(topic(i), partitions, (short) 1).configs(Map.of(
                    // the chain writes gigabytes in a minute: keep little of it
                    TopicConfig.SEGMENT_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024),
                    TopicConfig.RETENTION_BYTES_CONFIG, String.valueOf(32 * 1024 * 1024))));
        }
        try (Admin admin = admin()) {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
            awaitLeaders(admin);
            probeEveryPartition();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create the relay chain's topics: " + e.getMessage(), e);
        }
        for (int i = 1; i <= relays; i++) {
            startRelay(i);
        }
        startSink();
        try {
            awaitFlowing();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** Every partition of the chain's topics has a leader in the broker's metadata. */
    private void awaitLeaders(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i <= relays; i++) {
            names.add(topic(i));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            boolean allLed = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                    .flatMap(t -> t.partitions().stream())
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
            if (allLed) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("no leader for some partitions of " + names + " after 30 s");
            }
            Thread.sleep(50);
        }
    }

    /**
     * Writes one record to every partition with a producer that is not idempotent, and waits for each to be
     * acknowledged: only then is every leader loaded for writes. A leader in the metadata is not enough; an
     * idempotent producer whose first batch meets a leader still loading can stall for its whole delivery timeout
     * (KAFKA-14359, PLATFORM.md), which is what failed CI twice in a row in the priming below. The consumers start
     * after these records ({@link #positionAtEnd}), so they never travel the chain.
     */
    private void probeEveryPartition() throws InterruptedException, ExecutionException, TimeoutException {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "choreo-bench-probe");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (KafkaProducer<byte[], byte[]> probe = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i <= relays; i++) {
                for (int p = 0; p < partitions; p++) {
                    acks.add(probe.send(new ProducerRecord<>(topic(i), p, null, new byte[0])));
                }
            }
            for (var ack : acks) {
                ack.get(40, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts the consumer after whatever the topic holds now (the probes), resolving the position at once. */
    private void positionAtEnd(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> assigned = partitionsOf(topic);
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        assigned.forEach(consumer::position);
    }

    /**
     * Sends a few hundred records through and waits for all of them at the sink, so no run starts before every
     * relay has its partitions' leaders and positions. Without it, a run started right after the topics were
     * created once saw one relay stall until its producer's delivery timeout (CI, two busy cores).
     */
    private void awaitFlowing() {
        int primers = 50 * partitions;
        long receivedBefore = received.get();
        try (KafkaProducer<byte[], byte[]> injector = producer("choreo-bench-primer")) {
            for (int n = 0; n < primers; n++) {
                injector.send(new ProducerRecord<>(topic(0), key(-1 - n), template.templateValue()), this::sent);
            }
            injector.flush();
        }
        long deadline = System.nanoTime() + PRIMING_TIMEOUT.toNanos();
        while (received.get() - receivedBefore < primers) {
            requireHealthy();
            if (System.nanoTime() - deadline > 0) {
                throw new NotFlowingException("The relay chain did not pass " + primers + " records within "
                        + PRIMING_TIMEOUT.toSeconds() + " s (" + (received.get() - receivedBefore) + " arrived, "
                        + sendErrors.sum() + " send errors, the first: " + firstSendError.get() + ")");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private void startRelay(int index) {
        KafkaConsumer<byte[], byte[]> consumer = consumer("choreo-bench-relay-" + index);
        KafkaProducer<byte[], byte[]> producer = producer("choreo-bench-relay-" + index);
        String from = topic(index - 1);
        String to = topic(index);
        positionAtEnd(consumer, from);
        Thread thread = new Thread(() -> {
            try {
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        producer.send(new ProducerRecord<>(to, null, r.key(), r.value(), r.headers()), this::sent);
                    }
                }
            } catch (WakeupException stopping) {
                // close()
            } catch (Throwable e) {
                failure = e;
            } finally {
                producer.close(Duration.ofSeconds(5));
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            }
        }, "relay-" + index);
        stoppers.add(consumer::wakeup);
        threads.add(thread);
        thread.setDaemon(true);
        thread.start();
    }

    private void startSink() {
        KafkaConsumer<byte[], byte[]> consumer = consumer("choreo-bench-relay-sink");
        String from = topic(relays);
        positionAtEnd(consumer, from);
        Thread thread = new Thread(() -> {
            try {
                while (running) {
                    var records = consumer.poll(Duration.ofMillis(100));
                    if (records.isEmpty()) {
                        continue;
                    }
                    long now = System.nanoTime();
                    synchronized (this) {
                        for (ConsumerRecord<byte[], byte[]> r : records) {
                            Header t0 = r.headers().lastHeader(T0_HEADER);
                            if (t0 != null) {
                                Latency.record(histogram, (now - ByteBuffer.wrap(t0.value()).getLong()) / 1_000);
                            }
                        }
                    }
                    received.addAndGet(records.count());
                    lastReceivedNanos = now;
                }
            } catch (WakeupException stopping) {
                // close()
            } catch (Throwable e) {
                failure = e;
            } finally {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            }
        }, "relay-sink");
        stoppers.add(consumer::wakeup);
        threads.add(thread);
        thread.setDaemon(true);
        thread.start();
    }

    private void sent(RecordMetadata metadata, Exception error) {
        if (error != null) {
            sendErrors.increment();
            firstSendError.compareAndSet(null, error);
        }
    }

    /**
     * Injects records for {@code duration} at {@code rate} per second, or as fast as the chain takes them
     * ({@code rate} 0, at most {@code maxInFlight} records inside the chain), then waits for the chain to drain.
     */
    Result run(String name, double rate, Duration duration, int maxInFlight, Duration drainTimeout, Progress.Line progress)
            throws InterruptedException {
        Histogram phaseHistogram = Latency.newHistogram();
        synchronized (this) {
            histogram = phaseHistogram;
        }
        long receivedAtStart = received.get();
        long sent = 0;
        long intervalNanos = rate > 0 ? Math.round(1e9 / rate) : 0;
        long count = rate > 0 ? Math.round(rate * duration.toMillis() / 1000.0) : Long.MAX_VALUE;
        try (KafkaProducer<byte[], byte[]> injector = producer("choreo-bench-injector")) {
            long start = System.nanoTime();
            long stopAt = start + (rate > 0 ? duration.multipliedBy(2).plusSeconds(5) : duration).toNanos();
            long nextProgress = start + 1_000_000_000L;
            while (sent < count) {
                long now = System.nanoTime();
                if (now - stopAt > 0) {
                    break;
                }
                if (now - nextProgress > 0) {
                    progress.show(name, (now - start) / 1_000_000_000L, sent, received.get() - receivedAtStart);
                    nextProgress += 1_000_000_000L;
                    requireHealthy();
                }
                if (intervalNanos > 0) {
                    long due = start + sent * intervalNanos;
                    if (due - now > 0) {
                        LockSupport.parkNanos(due - now);
                    }
                } else if (sent - (received.get() - receivedAtStart) >= maxInFlight) {
                    LockSupport.parkNanos(50_000);
                    continue;
                }
                RecordHeaders headers = new RecordHeaders(template.templateHeaders().toArray());
                headers.add(T0_HEADER, ByteBuffer.allocate(8).putLong(System.nanoTime()).array());
                injector.send(new ProducerRecord<>(topic(0), null, key(sent), template.templateValue(), headers), this::sent);
                sent++;
            }
            injector.flush();
            long firstSend = start;
            long drainDeadline = System.nanoTime() + drainTimeout.toNanos();
            while (received.get() - receivedAtStart < sent && System.nanoTime() - drainDeadline < 0) {
                requireHealthy();
                Thread.sleep(10);
            }
            long got = received.get() - receivedAtStart;
            double seconds = Math.max(1, lastReceivedNanos - firstSend) / 1e9;
            progress.done(name, (System.nanoTime() - start) / 1_000_000_000L, sent, got);
            Latency latency;
            synchronized (this) {
                latency = Latency.of(phaseHistogram);
            }
            return new Result(name, rate, sent, got, seconds, got / seconds, latency);
        }
    }

    /** Keys like the suite's order ids, so records spread over the partitions the same way. */
    private byte[] key(long n) {
        return ("ord-" + new UUID(0x6368_6f72_656fL, n)).getBytes(StandardCharsets.UTF_8);
    }

    long sendErrors() {
        return sendErrors.sum();
    }

    private void requireHealthy() {
        if (failure != null) {
            throw new IllegalStateException("The relay chain failed: " + failure, failure);
        }
    }

    private List<TopicPartition> partitionsOf(String topic) {
        List<TopicPartition> list = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            list.add(new TopicPartition(topic, p));
        }
        return list;
    }

    private KafkaConsumer<byte[], byte[]> consumer(String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group + "-" + prefix);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, group);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<byte[], byte[]> producer(String clientId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        // the suite's producer settings (messaging-starter's defaults)
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(lingerMs));
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    @Override
    public void close() {
        running = false;
        stoppers.forEach(Runnable::run);
        for (Thread thread : threads) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i <= relays; i++) {
            names.add(topic(i));
        }
        try (Admin admin = admin()) {
            admin.deleteTopics(names).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("Could not delete the relay chain's topics " + names + ": " + e.getMessage());
        }
    }
}
