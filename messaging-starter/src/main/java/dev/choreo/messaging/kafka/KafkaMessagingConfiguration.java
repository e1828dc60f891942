package dev.choreo.messaging.kafka;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.InvalidEventException;
import dev.choreo.events.Topics;
import dev.choreo.messaging.MessagingProperties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Kafka as every service uses it: envelope (de)serialization and the topics. The error handler serves the plain
 * {@code @KafkaListener}s a service may still have (order-service's catalogue replica): bounded retries, then a
 * dead-letter topic with the cause in headers. Event handlers go through the inbox instead.
 */
@Configuration(proxyBeanMethods = false)
public class KafkaMessagingConfiguration {

    @Bean
    DefaultKafkaProducerFactoryCustomizer envelopeSerialization() {
        return factory -> {
            DefaultKafkaProducerFactory<Object, Object> producers = cast(factory);
            producers.setKeySerializer(cast(new StringSerializer()));
            producers.setValueSerializer(valueSerializer());
        };
    }

    @Bean
    DefaultKafkaConsumerFactoryCustomizer envelopeDeserialization() {
        return factory -> {
            DefaultKafkaConsumerFactory<Object, Object> consumers = cast(factory);
            consumers.setValueDeserializer(cast(new ErrorHandlingDeserializer<>(new EnvelopeDeserializer())));
        };
    }

    /**
     * The suite's topics: every process topic and its dead-letter topic, and the compacted catalogue, all with the
     * same partition count. Not declared to Spring's {@code KafkaAdmin}, which would add partitions to an existing
     * topic that has fewer: the outbox's {@code TopicReadiness} creates them and never alters one.
     */
    public static List<NewTopic> topics(MessagingProperties properties) {
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : Topics.PROCESS_TOPICS) {
            topics.add(topic(topic, properties).build());
            topics.add(topic(Topics.deadLetterOf(topic), properties).build());
        }
        topics.add(topic(Topics.PRODUCT_CATALOGUE, properties).compact().build());
        topics.add(topic(Topics.deadLetterOf(Topics.PRODUCT_CATALOGUE), properties).build());
        return topics;
    }

    @Bean
    CommonErrorHandler deadLetteringErrorHandler(KafkaProperties kafkaProperties, MessagingProperties properties) {
        // Dead-letter records keep the original bytes when the value could not be read, the envelope otherwise.
        var deadLetters = new KafkaTemplate<Object, Object>(new DefaultKafkaProducerFactory<Object, Object>(
                kafkaProperties.buildProducerProperties(), cast(new StringSerializer()), valueSerializer()));
        // T -> T.DLT, same partition: the dead letter stays next to the order's other records
        var recoverer = new DeadLetterPublishingRecoverer(deadLetters,
                (record, failure) -> new TopicPartition(Topics.deadLetterOf(record.topic()), record.partition())) {

            /** Bounded like the inbox's dead letters: one that cannot be sent would be retried forever. */
            @Override
            protected ProducerRecord<Object, Object> createProducerRecord(ConsumerRecord<?, ?> record,
                    TopicPartition partition, Headers headers, byte[] key, byte[] value) {
                for (Header original : record.headers()) {
                    if (DeadLetterBounds.isOversized(original)) {
                        headers.remove(original.key());
                    }
                }
                // value: the raw bytes of a record that could not be read; a readable one is a bounded event
                Object boundedValue = value != null ? DeadLetterBounds.value(value, headers) : record.value();
                // keys are read by the StringDeserializer, which never fails: there are no raw key bytes
                Object boundedKey = record.key() instanceof String text ? DeadLetterBounds.key(text) : record.key();
                return new ProducerRecord<>(partition.topic(), partition.partition() < 0 ? null
                        : partition.partition(), boundedKey, boundedValue, headers);
            }
        };
        recoverer.setHeadersFunction((record, failure) -> new RecordHeaders(List.of(new RecordHeader(
                DeadLetterReason.HEADER, DeadLetterReason.of(failure).getBytes(StandardCharsets.UTF_8)))));
        var backOff = new ExponentialBackOff(properties.retry().initialBackoff().toMillis(), 2.0);
        backOff.setMaxAttempts(properties.retry().attempts() - 1);
        var handler = new DefaultErrorHandler(recoverer, backOff);
        // Retrying cannot repair a record that is not a valid event.
        handler.addNotRetryableExceptions(InvalidEventException.class, IllegalArgumentException.class);
        return handler;
    }

    private static Serializer<Object> valueSerializer() {
        Map<Class<?>, Serializer<?>> byType = new LinkedHashMap<>();
        byType.put(byte[].class, new ByteArraySerializer());
        byType.put(EventEnvelope.class, new EnvelopeSerializer());
        return cast(new DelegatingByTypeSerializer(byType, true));
    }

    /** Kafka's factories are typed per key and value; the suite's are String keys and envelope values. */
    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    private static TopicBuilder topic(String name, MessagingProperties properties) {
        return TopicBuilder.name(name)
                .partitions(properties.partitions())
                .replicas(properties.replicationFactor())
                .config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                        Integer.toString(Math.min(2, properties.replicationFactor())));
    }
}
