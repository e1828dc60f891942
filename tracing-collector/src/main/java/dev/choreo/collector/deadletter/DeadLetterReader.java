package dev.choreo.collector.deadletter;

import dev.choreo.collector.CollectorHeaders;
import dev.choreo.collector.CollectorProperties;
import dev.choreo.collector.ingest.RecordDecoder;
import dev.choreo.events.Topics;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads every dead-letter topic and {@code operations-events} from the beginning, by assignment (it joins no consumer
 * group and commits nothing: every instance indexes all dead letters, so any instance lists and acts on all of them, whichever partitions it owns
 * for processes). Dead letters go to the index, the workbench's audit records to the ledger. New {@code .DLT} topics
 * are picked up within a second.
 */
@Component
class DeadLetterReader implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterReader.class);
    private static final String GROUP = "tracing-collector-dead-letters";
    private static final Duration REFRESH_TOPICS = Duration.ofSeconds(1);

    private final ConsumerFactory<?, ?> consumerFactory;
    private final Pattern deadLetterTopics;
    private final Duration timeout;
    private final DeadLetterIndex index;
    private final ActionLedger ledger;
    private final JsonMapper json;
    private final RecordDecoder decoder;
    private final Interner names = new Interner();

    private final Object confirmation = new Object();
    /** System.nanoTime() of the last end-offsets request that found everything read; guarded by confirmation. */
    private long confirmedAt = Long.MIN_VALUE;
    private volatile boolean confirmationWanted;
    private volatile boolean running;
    private Thread thread;
    private Consumer<byte[], byte[]> consumer;

    DeadLetterReader(ConsumerFactory<?, ?> consumerFactory, CollectorProperties properties, DeadLetterIndex index,
            ActionLedger ledger, JsonMapper json, RecordDecoder decoder) {
        this.consumerFactory = consumerFactory;
        this.deadLetterTopics = Pattern.compile(properties.topicPattern());
        this.timeout = properties.diagnosis().adminTimeout();
        this.index = index;
        this.ledger = ledger;
        this.json = json;
        this.decoder = decoder;
    }

    /**
     * Waits until this reader has read every dead-letter topic and {@code operations-events} up to the end offsets the
     * broker names after this call: then every action recorded before it is in the ledger (a retried request, an
     * earlier run's actions).
     */
    boolean awaitReadToEnd(Duration patience) throws InterruptedException {
        long asked = System.nanoTime();
        long deadline = asked + patience.toNanos();
        synchronized (confirmation) {
            while (confirmedAt - asked < 0) {
                confirmationWanted = true;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                confirmation.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private void run() {
        long refreshedAt = System.nanoTime() - REFRESH_TOPICS.toNanos();
        Set<TopicPartition> assigned = new HashSet<>();
        while (running) {
            try {
                if (System.nanoTime() - refreshedAt >= REFRESH_TOPICS.toNanos() || confirmationWanted) {
                    refreshedAt = System.nanoTime();
                    assigned = reassign(assigned);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    read(record);
                }
                if (confirmationWanted) {
                    confirm(assigned);
                }
            } catch (WakeupException e) {
                // stopping
            } catch (RuntimeException e) {
                log.warn("Dead-letter reader: {}; trying again", e.toString());
                sleep();
            }
        }
        consumer.close(Duration.ofSeconds(1));
    }

    private Set<TopicPartition> reassign(Set<TopicPartition> assigned) {
        Set<TopicPartition> wanted = new HashSet<>();
        for (Map.Entry<String, List<PartitionInfo>> topic : consumer.listTopics(timeout).entrySet()) {
            String name = topic.getKey();
            boolean deadLetters = Topics.isDeadLetter(name) && deadLetterTopics.matcher(name).matches();
            if (deadLetters || name.equals(Topics.OPERATIONS_EVENTS)) {
                topic.getValue().forEach(p -> wanted.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        if (!wanted.equals(assigned)) {
            Set<TopicPartition> added = new HashSet<>(wanted);
            added.removeAll(assigned);
            consumer.assign(wanted);
            consumer.seekToBeginning(added);
        }
        return wanted;
    }

    private void read(ConsumerRecord<byte[], byte[]> record) {
        if (Topics.isDeadLetter(record.topic())) {
            index.add(DeadLetterEntry.of(record, decoder.identify(record), names));
        } else if (record.headers().lastHeader(CollectorHeaders.DEAD_LETTER_ACTION) != null) {
            try {
                JsonNode audit = json.readTree(record.value());
                ledger.record(audit.get("deadLetter").asString(), new ActionLedger.Handled(
                        audit.get("action").asString(), audit.path("requestedBy").asString(null),
                        audit.path("at").asLong(record.timestamp()), audit.path("redrivenTo").asString(null)));
            } catch (RuntimeException e) {
                log.warn("Unreadable dead-letter audit record at {}-{}@{}: {}", record.topic(), record.partition(),
                        record.offset(), e.toString());
            }
        }
    }

    /** Asks the broker for the end offsets; everything read up to them confirms as of the moment it was asked. */
    private void confirm(Set<TopicPartition> assigned) {
        long askedAt = System.nanoTime();
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, timeout);
        for (TopicPartition tp : assigned) {
            if (consumer.position(tp, timeout) < ends.getOrDefault(tp, 0L)) {
                return;
            }
        }
        synchronized (confirmation) {
            confirmedAt = askedAt;
            confirmationWanted = false;
            confirmation.notifyAll();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    @SuppressWarnings("unchecked") // the consumer factory is configured with byte[] deserializers
    public void start() {
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = (Consumer<byte[], byte[]>) consumerFactory.createConsumer(GROUP, null, null, overrides);
        running = true;
        thread = new Thread(this::run, "dead-letter-reader");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
