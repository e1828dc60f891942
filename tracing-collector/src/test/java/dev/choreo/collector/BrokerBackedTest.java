package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.collector.CollectorTestSupport.ServiceProducer;
import dev.choreo.events.EventEnvelope;
import dev.choreo.security.test.TestUsers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One collector on an embedded KRaft broker, shared (one cached context) by the tests that extend this, with a
 * producer standing in for the services and helpers to read the REST API.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}")
@EmbeddedKafka(partitions = 3, brokerProperties = {"offsets.topic.num.partitions=1",
    "group.initial.rebalance.delay.ms=0"}, topics = {"order-events", "order-events.DLT", "inventory-events",
    "inventory-events.DLT", "payment-events", "payment-events.DLT", "shipping-events", "shipping-events.DLT",
    "notification-events", "notification-events.DLT", "operations-events", "operations-events.DLT"})
abstract class BrokerBackedTest {

    static final Duration PATIENCE = Duration.ofSeconds(20);
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static ServiceProducer services;

    @LocalServerPort
    int port;

    /** This context's broker (not the system property, which the last broker started anywhere in the JVM sets). */
    @Autowired
    EmbeddedKafkaBroker broker;
    String brokers;

    @BeforeEach
    void brokers() {
        brokers = broker.getBrokersAsString();
    }

    @DynamicPropertySource
    static void testFlow(DynamicPropertyRegistry registry) {
        CollectorTestSupport.shortDeadlines(registry);
    }

    @BeforeAll
    static void startProducer(@Autowired EmbeddedKafkaBroker broker) {
        services = new ServiceProducer(broker.getBrokersAsString());
    }

    @AfterAll
    static void stopProducer() {
        services.close();
    }

    // --- helpers ---------------------------------------------------------------------------------------

    void publish(int partition, EventEnvelope<?>... envelopes) {
        for (EventEnvelope<?> envelope : envelopes) {
            services.publish(envelope, partition);
        }
    }

    KafkaConsumer<byte[], byte[]> consumer(String group) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    JsonNode awaitOutcome(OrderStory story, String outcome) {
        return await().atMost(PATIENCE).until(() -> process(story),
                process -> process != null && outcome.equals(process.get("outcome").asString()));
    }

    JsonNode process(OrderStory story) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/processes/" + story.correlationId)).build());
        return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    }

    JsonNode get(String path) {
        try {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode post(String path, String body, int expectedStatus) {
        try {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** Sends the request as the operator unless it carries credentials of its own. */
    static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(asOperator(request), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest asOperator(HttpRequest request) {
        if (request.headers().firstValue("Authorization").isPresent()) {
            return request;
        }
        return HttpRequest.newBuilder(request, (name, value) -> true)
                .header("Authorization", TestUsers.basic("operator")).build();
    }
}
