package dev.choreo.collector.deadletter;

import dev.choreo.collector.CollectorProperties;
import dev.choreo.collector.action.ActionFailedException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads dead letters themselves from the broker by offset: the index keeps no values or headers. One consumer per
 * request; per partition it seeks to the lowest offset wanted and reads forward to the highest.
 */
@Component
class DeadLetterRecords {

    private static final String GROUP = "tracing-collector-dead-letters";

    private final ConsumerFactory<?, ?> consumerFactory;
    private final Duration timeout;

    DeadLetterRecords(ConsumerFactory<?, ?> consumerFactory, CollectorProperties properties) {
        this.consumerFactory = consumerFactory;
        this.timeout = properties.diagnosis().adminTimeout();
    }

    /** The records by dead-letter id; one that is gone (retention) is missing from the answer. */
    @SuppressWarnings("unchecked") // the consumer factory is configured with byte[] deserializers
    Map<String, ConsumerRecord<byte[], byte[]>> fetch(Collection<DeadLetterEntry> entries) {
        Map<TopicPartition, TreeMap<Long, DeadLetterEntry>> wanted = entries.stream().collect(Collectors.groupingBy(
                entry -> new TopicPartition(entry.topic(), entry.partition()),
                Collectors.toMap(DeadLetterEntry::offset, entry -> entry, (a, b) -> a, TreeMap::new)));
        Map<String, ConsumerRecord<byte[], byte[]>> found = new HashMap<>();
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (Consumer<byte[], byte[]> consumer = (Consumer<byte[], byte[]>) consumerFactory.createConsumer(GROUP,
                null, null, overrides)) {
            for (Map.Entry<TopicPartition, TreeMap<Long, DeadLetterEntry>> partition : wanted.entrySet()) {
                read(consumer, partition.getKey(), partition.getValue(), found);
            }
        } catch (KafkaException e) {
            throw new ActionFailedException("could not read the dead letters from Kafka: " + e.getMessage(), e);
        }
        return found;
    }

    private void read(Consumer<byte[], byte[]> consumer, TopicPartition tp, TreeMap<Long, DeadLetterEntry> offsets,
            Map<String, ConsumerRecord<byte[], byte[]>> found) {
        consumer.assign(List.of(tp));
        long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
        long last = Math.min(offsets.lastKey(), end - 1);
        consumer.seek(tp, offsets.firstKey());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.position(tp, timeout) <= last) {
            if (System.nanoTime() > deadline) {
                throw new ActionFailedException("could not read " + tp + " up to " + last + " within " + timeout,
                        null);
            }
            var records = consumer.poll(Duration.ofMillis(200));
            if (!records.isEmpty()) {
                deadline = System.nanoTime() + timeout.toNanos();
            }
            for (ConsumerRecord<byte[], byte[]> record : records) {
                DeadLetterEntry entry = offsets.get(record.offset());
                if (entry != null) {
                    found.put(entry.id(), record);
                }
            }
        }
    }
}
