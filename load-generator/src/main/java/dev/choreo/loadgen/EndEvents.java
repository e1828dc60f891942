package dev.choreo.loadgen;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.choreo.events.DomainEvent;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventJson;
import dev.choreo.events.InvalidEventException;
import dev.choreo.events.Topics;
import dev.choreo.events.notification.CustomerNotified;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the end events straight from Kafka: a plain consumer on every partition of {@code notification-events},
 * from the end of the topic as it was at start (no consumer group, nothing committed, so the suite's own groups
 * are untouched). Each {@code CustomerNotified} is handed to the {@link OrderTracker} with its receive time and
 * record timestamp.
 */
final class EndEvents implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final OrderTracker tracker;
    private final Thread thread;
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final LongAdder unreadable = new LongAdder();
    private final LongAdder otherEvents = new LongAdder();
    private volatile boolean running = true;
    private volatile Throwable failure;

    EndEvents(String bootstrapServers, OrderTracker tracker) {
        this.tracker = tracker;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "choreo-load-generator-end-events");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "end-events");
        this.thread.setDaemon(true);
    }

    /** Starts reading and returns once the consumer sits at the current end of every partition. */
    EndEvents start(Duration timeout) throws InterruptedException {
        thread.start();
        if (!positioned.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("Could not position on " + Topics.NOTIFICATION_EVENTS + " within " + timeout
                    + (failure == null ? "" : ": " + failure));
        }
        if (failure != null) {
            throw new IllegalStateException("Cannot read " + Topics.NOTIFICATION_EVENTS + ": " + failure, failure);
        }
        return this;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve the seek now, before the first order is placed
            positioned.countDown();
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                long now = System.nanoTime();
                for (ConsumerRecord<String, byte[]> record : records) {
                    handle(record, now);
                }
            }
        } catch (WakeupException stopping) {
            // close() woke the poll
        } catch (Throwable e) {
            failure = e;
            positioned.countDown();
            if (running) {
                System.err.println("end-event consumer failed: " + e);
            }
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    private List<TopicPartition> awaitPartitions() throws InterruptedException {
        while (true) {
            Map<String, List<PartitionInfo>> topics = consumer.listTopics(Duration.ofSeconds(10));
            List<PartitionInfo> infos = topics.get(Topics.NOTIFICATION_EVENTS);
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            Thread.sleep(500); // the services create their topics when they start
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record, long receivedNanos) {
        if (record.key() == null || record.value() == null) {
            unreadable.increment();
            return;
        }
        EventEnvelope<DomainEvent> envelope;
        try {
            envelope = EventJson.read(record.value());
        } catch (InvalidEventException | IllegalArgumentException e) {
            unreadable.increment();
            return;
        }
        if (envelope.payload() instanceof CustomerNotified notified) {
            tracker.ended(record.key(), new OrderTracker.End(notified.kind(), receivedNanos, record.timestamp()));
        } else {
            otherEvents.increment();
        }
    }

    long unreadable() {
        return unreadable.sum();
    }

    /** Fails if the consumer thread died: every later order would look lost. */
    void requireRunning() {
        if (failure != null) {
            throw new IllegalStateException("The end-event consumer failed: " + failure, failure);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
