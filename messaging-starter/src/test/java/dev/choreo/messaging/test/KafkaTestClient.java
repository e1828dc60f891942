package dev.choreo.messaging.test;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventHeaders;
import dev.choreo.events.EventJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.Assertions;

/**
 * A plain Kafka client for tests: produces raw bytes (duplicates, poison) exactly as given, and reads what the
 * services published, without any of the suite's own serialization in between.
 */
public final class KafkaTestClient implements AutoCloseable {

    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;
    private Admin admin;

    public KafkaTestClient(String bootstrapServers) {
        this(bootstrapServers, 1024 * 1024);
    }

    /** A client that can send records up to {@code maxRecordBytes} (hostile ones, to a topic that accepts them). */
    public KafkaTestClient(String bootstrapServers, int maxRecordBytes) {
        this.bootstrapServers = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes + 64 * 1024),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends an envelope the way the services do: JSON value, order id key, routing headers. */
    public RecordMetadata send(EventEnvelope<?> envelope) {
        return sendRaw(envelope.topic(), envelope.key(), EventJson.write(envelope), Map.of(
                EventHeaders.EVENT_ID, envelope.eventId().toString(),
                EventHeaders.EVENT_TYPE, envelope.eventType(),
                EventHeaders.CORRELATION_ID, envelope.correlationId()));
    }

    /** Sends an envelope as {@link #send} does, without waiting for the broker; {@link #flush} waits for all. */
    public void sendAsync(EventEnvelope<?> envelope) {
        sendAsync(envelope, null);
    }

    /** As {@link #sendAsync(EventEnvelope)}, to the given partition ({@code null}: the key's). */
    public void sendAsync(EventEnvelope<?> envelope, Integer partition) {
        var record = new ProducerRecord<String, byte[]>(envelope.topic(), partition, envelope.key(),
                EventJson.write(envelope));
        Map.of(EventHeaders.EVENT_ID, envelope.eventId().toString(), EventHeaders.EVENT_TYPE, envelope.eventType(),
                EventHeaders.CORRELATION_ID, envelope.correlationId())
                .forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
        producer.send(record);
    }

    public void flush() {
        producer.flush();
    }

    public RecordMetadata sendRaw(String topic, String key, byte[] value, Map<String, String> headers) {
        return sendRaw(topic, null, key, value, headers);
    }

    /** As {@link #sendRaw(String, String, byte[], Map)}, to the given partition ({@code null}: the key's). */
    public RecordMetadata sendRaw(String topic, Integer partition, String key, byte[] value,
            Map<String, String> headers) {
        var record = new ProducerRecord<String, byte[]>(topic, partition, key, value);
        headers.forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
        try {
            return producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("send to " + topic + " failed", e.getCause());
        }
    }

    /**
     * Every record currently on the topics: each partition is read from its beginning up to the end offset it had
     * when the call started (no consumer group, so nothing to wait for but the fetches themselves).
     */
    public List<ConsumerRecord<String, byte[]>> readAll(String... topics) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + partitions + " up to " + ends);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The events of the given type on the topics, parsed. */
    public List<EventEnvelope<?>> events(String eventType, String... topics) {
        return readAll(topics).stream()
                .filter(r -> eventType.equals(header(r, EventHeaders.EVENT_TYPE)))
                .<EventEnvelope<?>>map(r -> EventJson.read(r.value()))
                .toList();
    }

    /**
     * Asserts that {@code consumerGroup} has committed past every given record: each of them, and everything
     * before it on its partition, was handled (or dead-lettered) and its transaction committed. Call it inside
     * Awaitility's {@code untilAsserted}: that is how a test asserts that something did <em>not</em> happen
     * without sleeping.
     */
    public void assertConsumed(String consumerGroup, Collection<RecordMetadata> records)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin().listConsumerGroupOffsets(consumerGroup)
                .partitionsToOffsetAndMetadata().get();
        for (RecordMetadata record : records) {
            OffsetAndMetadata offset = committed.get(new TopicPartition(record.topic(), record.partition()));
            Assertions.assertThat(offset)
                    .as("committed offset of %s on %s-%d", consumerGroup, record.topic(), record.partition())
                    .isNotNull();
            Assertions.assertThat(offset.offset())
                    .as("committed offset of %s on %s-%d", consumerGroup, record.topic(), record.partition())
                    .isGreaterThan(record.offset());
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        }
        return admin;
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        producer.close(Duration.ofSeconds(5));
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
