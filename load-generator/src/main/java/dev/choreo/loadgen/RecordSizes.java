package dev.choreo.loadgen;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.choreo.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The size of the suite's real records, read back from its topics after some load: the key, value and headers of
 * the last records of each process topic, and one real {@code OrderPlaced} record that the ceiling's relay chain
 * then sends (same bytes, same headers).
 */
record RecordSizes(Map<String, Double> meanBytesByTopic, byte[] templateKey, byte[] templateValue, RecordHeaders templateHeaders) {

    private static final List<String> TOPICS = List.of(Topics.ORDER_EVENTS, Topics.INVENTORY_EVENTS,
            Topics.PAYMENT_EVENTS, Topics.SHIPPING_EVENTS, Topics.NOTIFICATION_EVENTS);
    private static final int PER_PARTITION = 20;

    int templateBytes() {
        return size(templateKey, templateValue, templateHeaders);
    }

    /** Reads the last records of each process topic. */
    static RecordSizes sample(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "choreo-load-generator-record-sizes");
        Map<String, Double> means = new LinkedHashMap<>();
        byte[] key = null;
        byte[] value = null;
        RecordHeaders headers = null;
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (String topic : TOPICS) {
                List<ConsumerRecord<byte[], byte[]>> records = lastRecords(consumer, topic);
                means.put(topic, records.stream().mapToInt(r -> size(r.key(), r.value(), r.headers())).average().orElse(Double.NaN));
                if (topic.equals(Topics.ORDER_EVENTS)) {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        if (r.value() != null && new String(r.value(), StandardCharsets.UTF_8).contains("\"OrderPlaced\"")) {
                            key = r.key();
                            value = r.value();
                            headers = new RecordHeaders(r.headers().toArray());
                            break;
                        }
                    }
                }
            }
        }
        if (value == null) {
            throw new IllegalStateException("No OrderPlaced record found on " + Topics.ORDER_EVENTS + " to size the ceiling's records");
        }
        return new RecordSizes(means, key, value, headers);
    }

    /** A stand-in when no suite ran: a value of {@code bytes} bytes, no headers. */
    static RecordSizes synthetic(int bytes) {
        byte[] value = new byte[Math.max(1, bytes - 40)];
        java.util.Arrays.fill(value, (byte) 'x');
        return new RecordSizes(Map.of(), "ord-00000000-0000-0000-0000-000000000000".getBytes(StandardCharsets.UTF_8),
                value, new RecordHeaders());
    }

    private static List<ConsumerRecord<byte[], byte[]>> lastRecords(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
        long wanted = 0;
        for (TopicPartition tp : partitions) {
            long from = Math.max(begins.get(tp), ends.get(tp) - PER_PARTITION);
            consumer.seek(tp, from);
            wanted += ends.get(tp) - from;
        }
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (records.size() < wanted && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        consumer.unsubscribe();
        return records;
    }

    static int size(byte[] key, byte[] value, Iterable<Header> headers) {
        int size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Header header : headers) {
            size += header.key().getBytes(StandardCharsets.UTF_8).length + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Object> topics = new LinkedHashMap<>();
        meanBytesByTopic.forEach((topic, mean) -> topics.put(topic, Latency.round(mean)));
        json.put("meanRecordBytesByTopic", topics);
        json.put("ceilingRecordBytes", templateBytes());
        json.put("ceilingRecordValueBytes", templateValue.length);
        json.put("ceilingRecordHeaders", templateHeaders.toArray().length);
        return json;
    }
}
