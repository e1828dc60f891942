package dev.choreo.collector.lag;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the one record a consumer group will get next on each of some topic-partitions, for its timestamp: a
 * consumer of its own (no group, nothing committed), assigned and positioned at the offsets asked for, that keeps
 * only the first record of each partition (a fetch is capped at 64 KiB a partition). Used when the collector did not
 * read that record recently itself ({@link OffsetTimes}). The timestamp is the record's: the broker's clock on a
 * LogAppendTime topic, the producer's on a CreateTime topic (the suite's).
 */
final class RecordFetcher implements AutoCloseable {

    private final Map<String, Object> config;
    private final Duration timeout;
    private KafkaConsumer<byte[], byte[]> consumer;

    RecordFetcher(Map<String, Object> kafkaConfig, Duration timeout) {
        this.config = new HashMap<>(kafkaConfig);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "tracing-collector-lag");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // what a read-committed service consumer positioned there gets next; a record gone to retention: the oldest kept
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024);
        this.timeout = timeout;
    }

    /**
     * @param positions where each group stands (its committed offset) and, per topic-partition, up to where to look
     *                  (the end offset: a partition with nothing committed below it yields nothing)
     * @return the timestamp of the first record at or after each position, for those found within the timeout
     */
    synchronized Map<TopicPartition, Long> nextTimestamps(Map<TopicPartition, Long> positions,
            Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> found = new HashMap<>();
        if (positions.isEmpty()) {
            return found;
        }
        try {
            KafkaConsumer<byte[], byte[]> reader = consumer();
            reader.assign(positions.keySet());
            positions.forEach(reader::seek);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (found.size() < positions.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(100))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (!found.containsKey(tp) && record.offset() >= positions.get(tp)) {
                        found.put(tp, record.timestamp());
                        reader.pause(List.of(tp));
                    }
                }
                for (TopicPartition tp : positions.keySet()) {
                    // only aborted records or markers up to the end: nothing is waiting there
                    if (!found.containsKey(tp) && reader.position(tp, Duration.ZERO) >= ends.getOrDefault(tp, 0L)) {
                        found.put(tp, Long.MIN_VALUE);
                    }
                }
            }
            reader.unsubscribe();
        } catch (KafkaException e) {
            close();
        }
        return found;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        if (consumer == null) {
            consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        return consumer;
    }

    @Override
    public synchronized void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(2));
            consumer = null;
        }
    }
}
