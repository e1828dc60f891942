package dev.choreo.localsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

    private static final String TOPIC = "orders.test";

    @TempDir
    Path dataDir;

    @Test
    void keepsTopicsAndRecordsAcrossAStopAndAStartOnTheSameDirAndPort() throws Exception {
        try (KafkaBroker broker = new KafkaBroker(dataDir, 0)) {
            broker.start();
            int port = broker.port();
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = producer(broker)) {
                producer.send(new ProducerRecord<>(TOPIC, "order-1", "{\"status\":\"PLACED\"}")).get();
            }
            assertThat(readAll(broker, "before-restart")).containsExactly("order-1={\"status\":\"PLACED\"}");

            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            assertThat(FreePorts.isFree(port)).as("port released after stop").isTrue();

            broker.start();
            assertThat(broker.port()).isEqualTo(port);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).contains(TOPIC);
            }
            assertThat(readAll(broker, "after-restart")).containsExactly("order-1={\"status\":\"PLACED\"}");
        }
    }

    @Test
    void runsInItsOwnJvmThatASigkillTakesDownAloneAndComesBackWithItsRecords() throws Exception {
        try (KafkaBroker broker = new KafkaBroker(dataDir, 0)) {
            broker.start();
            long pid = broker.pid().orElseThrow();
            assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(ProcessHandle.of(pid).flatMap(p -> p.parent()).map(ProcessHandle::pid))
                    .contains(ProcessHandle.current().pid());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = producer(broker)) {
                producer.send(new ProducerRecord<>(TOPIC, "order-2", "{\"status\":\"PAID\"}")).get();
            }

            broker.kill();

            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(broker.isRunning()).isFalse();
            broker.start();
            assertThat(broker.pid().orElseThrow()).isNotEqualTo(pid);
            assertThat(readAll(broker, "after-kill")).containsExactly("order-2={\"status\":\"PAID\"}");
        }
        assertThat(Files.readString(dataDir.resolve("kafka.log"))).contains("Kafka broker ready on");
    }

    @Test
    void refusesToCreateTopicsImplicitly() throws Exception {
        try (KafkaBroker broker = new KafkaBroker(dataDir, 0)) {
            broker.start();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
                 KafkaProducer<String, String> producer = producer(broker, Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000))) {
                assertThatThrownBy(() -> producer.partitionsFor("typo.topic"))
                        .isInstanceOf(TimeoutException.class);
                assertThat(admin.listTopics().names().get()).doesNotContain("typo.topic");
            }
        }
    }

    private static KafkaProducer<String, String> producer(KafkaBroker broker) {
        return producer(broker, Map.of());
    }

    private static KafkaProducer<String, String> producer(KafkaBroker broker, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"));
        config.putAll(extra);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static List<String> readAll(KafkaBroker broker, String group) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Set.of(TOPIC));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(record.key() + "=" + record.value());
                }
                return !seen.isEmpty();
            });
        }
        return seen;
    }
}
