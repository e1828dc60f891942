package dev.choreo.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The collector on someone else's choreography, with configuration only: a loan flow whose services publish
 * CloudEvents (Kafka protocol binding, binary and structured content mode, Correlation extension) with plain Kafka
 * producers, on topics named their way, event ids that are no UUIDs, and a consumer group not named like its service.
 * What an operator gets: the process views, a stall diagnosed, a dead letter failing its process, the learned map.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    "choreo.collector.envelope.preset=cloudevents",
    "choreo.collector.topic-pattern=loans\\..+",
    "choreo.collector.consumer-groups.credit-service=credit-scoring",
    "choreo.collector.search.fields.applicantId=$.applicantId",
    "choreo.flow.quiet-deadline=1m",
    "choreo.flow.steps[0].name=check-credit",
    "choreo.flow.steps[0].after=" + CloudEventsChoreographyIntegrationTest.REQUESTED,
    "choreo.flow.steps[0].deadline=2s",
    "choreo.flow.steps[0].expect[0].service=credit-service",
    "choreo.flow.steps[0].expect[0].events=" + CloudEventsChoreographyIntegrationTest.CREDIT_CHECKED,
    "choreo.flow.steps[1].name=decide",
    "choreo.flow.steps[1].after=" + CloudEventsChoreographyIntegrationTest.CREDIT_CHECKED,
    "choreo.flow.steps[1].deadline=2s",
    "choreo.flow.steps[1].expect[0].service=decision-service",
    "choreo.flow.steps[1].expect[0].events=" + CloudEventsChoreographyIntegrationTest.APPROVED + ","
            + CloudEventsChoreographyIntegrationTest.REJECTED,
    "choreo.flow.steps[2].name=pay-out",
    "choreo.flow.steps[2].after=" + CloudEventsChoreographyIntegrationTest.APPROVED,
    "choreo.flow.steps[2].deadline=2s",
    "choreo.flow.steps[2].expect[0].service=payout-service",
    "choreo.flow.steps[2].expect[0].events=" + CloudEventsChoreographyIntegrationTest.DISBURSED,
    "choreo.flow.endings[0].event=" + CloudEventsChoreographyIntegrationTest.DISBURSED,
    "choreo.flow.endings[0].outcome=COMPLETED",
    "choreo.flow.endings[1].event=" + CloudEventsChoreographyIntegrationTest.REJECTED,
    "choreo.flow.endings[1].outcome=COMPENSATED"})
@EmbeddedKafka(partitions = 3, brokerProperties = {"offsets.topic.num.partitions=1",
    "group.initial.rebalance.delay.ms=0"}, topics = {CloudEventsChoreographyIntegrationTest.APPLICATIONS,
    CloudEventsChoreographyIntegrationTest.APPLICATIONS + ".DLT",
    CloudEventsChoreographyIntegrationTest.CREDIT, CloudEventsChoreographyIntegrationTest.DECISIONS,
    CloudEventsChoreographyIntegrationTest.PAYOUTS})
class CloudEventsChoreographyIntegrationTest {

    static final String APPLICATIONS = "loans.applications";
    static final String CREDIT = "loans.credit";
    static final String DECISIONS = "loans.decisions";
    static final String PAYOUTS = "loans.payouts";
    static final String REQUESTED = "com.example.loan.requested";
    static final String CREDIT_CHECKED = "com.example.loan.credit-checked";
    static final String APPROVED = "com.example.loan.approved";
    static final String REJECTED = "com.example.loan.rejected";
    static final String DISBURSED = "com.example.loan.funds-disbursed";

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static KafkaProducer<byte[], byte[]> producer;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startProducer(@Autowired EmbeddedKafkaBroker broker) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopProducer() {
        producer.close(Duration.ofSeconds(5));
    }

    @Test
    void binaryModeLoanIsRebuiltWithItsTimelineStepsAndLearnedMap() throws Exception {
        Loan loan = new Loan("loan-b1", Instant.now());
        loan.binary(APPLICATIONS, REQUESTED, "/loan-api", "{\"applicantId\":\"app-7\",\"amount\":5000}");
        loan.binary(CREDIT, CREDIT_CHECKED, "/credit-service", "{\"score\":712}");
        loan.binary(DECISIONS, APPROVED, "/decision-service", "{\"rate\":0.049}");
        loan.binary(PAYOUTS, DISBURSED, "/payout-service", "{\"iban\":\"DE00\"}");

        JsonNode process = awaitOutcome(loan.correlationId, "COMPLETED");
        assertThat(process.get("orderId").asString()).isEqualTo(loan.key);
        assertThat(entries(process.get("timeline"), "eventType", "producer")).containsExactly(
                tuple(REQUESTED, "/loan-api"), tuple(CREDIT_CHECKED, "/credit-service"),
                tuple(APPROVED, "/decision-service"), tuple(DISBURSED, "/payout-service"));
        assertThat(entries(process.get("steps"), "step", "service")).containsExactly(
                tuple("check-credit", "credit-service"), tuple("decide", "decision-service"),
                tuple("pay-out", "payout-service"));
        assertThat(get("/processes?applicantId=app-7").toString()).contains(loan.correlationId);
        assertLearned(tuple(REQUESTED, CREDIT_CHECKED), tuple(CREDIT_CHECKED, APPROVED), tuple(APPROVED, DISBURSED));
    }

    @Test
    void structuredModeLoanArrivingOutOfOrderIsLinkedByItsCausation() {
        Loan loan = new Loan("loan-s1", Instant.now());
        String requested = loan.eventJson(REQUESTED, "/loan-api", "{\"applicantId\":\"app-8\"}");
        String checked = loan.eventJson(CREDIT_CHECKED, "/credit-service", "{\"score\":420}");
        String rejected = loan.eventJson(REJECTED, "/decision-service", "{\"reason\":\"score\"}");
        // the end event first (another topic lagged): it ends nothing while its cause is missing
        loan.send(DECISIONS, rejected);
        JsonNode early = await().atMost(PATIENCE).until(() -> process(loan.correlationId), p -> p != null);
        assertThat(early.get("outcome").asString()).isEqualTo("RUNNING");
        loan.send(APPLICATIONS, requested);
        loan.send(CREDIT, checked);

        JsonNode process = awaitOutcome(loan.correlationId, "COMPENSATED");
        assertThat(entries(process.get("timeline"), "eventType", "producer")).containsExactly(
                tuple(REQUESTED, "/loan-api"), tuple(CREDIT_CHECKED, "/credit-service"),
                tuple(REJECTED, "/decision-service"));
        assertLearned(tuple(REQUESTED, CREDIT_CHECKED), tuple(CREDIT_CHECKED, REJECTED));
    }

    @Test
    void stalledLoanIsStuckAndTheDiagnosisNamesTheServiceWhoseGroupStopped(@Autowired EmbeddedKafkaBroker broker)
            throws Exception {
        // credit-service's group (credit-scoring) consumed partition 1 of the applications and then stopped
        TopicPartition partition = new TopicPartition(APPLICATIONS, 1);
        Loan earlier = new Loan("loan-d0", Instant.now());
        long end = earlier.binary(APPLICATIONS, REQUESTED, "/loan-api", "{}") + 1;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()))) {
            admin.alterConsumerGroupOffsets("credit-scoring", Map.of(partition, new OffsetAndMetadata(end)))
                    .all().get(10, TimeUnit.SECONDS);
        }
        Loan loan = new Loan("loan-d1", Instant.now());
        loan.structured(APPLICATIONS, REQUESTED, "/loan-api", "{\"applicantId\":\"app-9\"}");

        JsonNode process = awaitOutcome(loan.correlationId, "STUCK");
        assertThat(process.get("stuckOn").get("events").asString()).isEqualTo(CREDIT_CHECKED);
        JsonNode diagnosis = process.get("diagnosis");
        assertThat(diagnosis.get("kind").asString()).isEqualTo("SERVICE_DOWN");
        assertThat(diagnosis.get("suspectService").asString()).isEqualTo("credit-service");
        assertThat(diagnosis.get("consumerGroup").asString()).isEqualTo("credit-scoring");
        assertThat(diagnosis.get("committedOffset").asLong()).isEqualTo(end);
        assertThat(diagnosis.get("lag").asLong()).isEqualTo(1);
        assertThat(diagnosis.get("summary").asString()).contains("credit-service looks down", REQUESTED);
        assertThat(get("/processes?status=STUCK").toString()).contains(loan.correlationId);
    }

    @Test
    void deadLetteredLoanFailsWithTheCauseAndIsOnTheWorkbench() throws Exception {
        Loan loan = new Loan("loan-f1", Instant.now());
        long offset = loan.binary(APPLICATIONS, REQUESTED, "/loan-api", "{\"applicantId\":\"app-10\"}");
        // credit-service gave up on it: Spring Kafka's recoverer copies the record with its headers to T.DLT
        ProducerRecord<byte[], byte[]> deadLetter = new ProducerRecord<>(APPLICATIONS + ".DLT", 1, utf8(loan.key),
                utf8("{\"applicantId\":\"app-10\"}"), loan.lastHeaders);
        header(deadLetter, CollectorHeaders.DLT_ORIGINAL_TOPIC, APPLICATIONS);
        header(deadLetter, CollectorHeaders.DLT_ORIGINAL_OFFSET, Long.toString(offset));
        header(deadLetter, CollectorHeaders.DLT_ORIGINAL_GROUP, "credit-scoring");
        header(deadLetter, CollectorHeaders.DLT_EXCEPTION_CLASS, "java.lang.IllegalStateException");
        header(deadLetter, CollectorHeaders.DLT_EXCEPTION_MESSAGE, "bureau unreachable");
        producer.send(deadLetter).get(10, TimeUnit.SECONDS);

        JsonNode diagnosis = awaitOutcome(loan.correlationId, "FAILED").get("diagnosis");
        assertThat(diagnosis.get("kind").asString()).isEqualTo("DEAD_LETTERED");
        assertThat(diagnosis.get("suspectService").asString()).isEqualTo("credit-service");
        assertThat(diagnosis.get("consumerGroup").asString()).isEqualTo("credit-scoring");
        assertThat(diagnosis.get("offset").asLong()).isEqualTo(offset);
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode items = get("/dead-letters?correlationId=" + loan.correlationId).get("items");
            assertThat(items).hasSize(1);
            assertThat(items.get(0).get("eventType").asString()).isEqualTo(REQUESTED);
            assertThat(items.get(0).get("orderId").asString()).isEqualTo(loan.key);
        });
    }

    // --- a loan application's services, publishing CloudEvents with a plain producer -----------------------

    /** One loan: its events share the correlation id, each caused by the one before; all on one partition number. */
    private final class Loan {

        final String key;
        final String correlationId;
        private final int partition;
        private Instant time;
        private String lastId;
        private int sequence;
        Headers lastHeaders;

        Loan(String key, Instant start) {
            this.key = key;
            this.correlationId = "corr-" + key + "-" + System.nanoTime();
            this.partition = 1;
            this.time = start;
        }

        /** Binary content mode: the attributes in ce_ headers, the value is the data. */
        long binary(String topic, String type, String source, String data) {
            String id = nextId();
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, partition, utf8(key), utf8(data));
            header(record, "ce_specversion", "1.0");
            header(record, "ce_id", id);
            header(record, "ce_source", source);
            header(record, "ce_type", type);
            header(record, "ce_time", time.toString());
            header(record, "ce_correlationid", correlationId);
            if (lastId != null) {
                header(record, "ce_causationid", lastId);
            }
            header(record, "content-type", "application/json");
            lastId = id;
            lastHeaders = record.headers();
            return send(record);
        }

        /** Structured content mode: the whole event as JSON, the data under {@code data}. */
        long structured(String topic, String type, String source, String data) {
            return send(topic, eventJson(type, source, data));
        }

        /** The next event as structured JSON (the extensions after the data: any order is legal). */
        String eventJson(String type, String source, String data) {
            String id = nextId();
            String json = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"" + source + "\",\"type\":\""
                    + type + "\",\"time\":\"" + time + "\",\"datacontenttype\":\"application/json\",\"data\":"
                    + data + ",\"correlationid\":\"" + correlationId + "\""
                    + (lastId == null ? "" : ",\"causationid\":\"" + lastId + "\"") + "}";
            lastId = id;
            return json;
        }

        long send(String topic, String json) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, partition, utf8(key), utf8(json));
            header(record, "content-type", "application/cloudevents+json; charset=UTF-8");
            return send(record);
        }

        private String nextId() {
            time = time.plusMillis(25);
            return key + "/" + (++sequence);
        }

        private long send(ProducerRecord<byte[], byte[]> record) {
            try {
                return producer.send(record).get(10, TimeUnit.SECONDS).offset();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void header(ProducerRecord<byte[], byte[]> record, String name, String value) {
        record.headers().add(name, utf8(value));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // --- the REST API --------------------------------------------------------------------------------------

    private void assertLearned(org.assertj.core.groups.Tuple... edges) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(entries(get("/choreography").get("edges"), "from",
                "to")).contains(edges));
    }

    private static List<org.assertj.core.groups.Tuple> entries(JsonNode array, String first, String second) {
        List<org.assertj.core.groups.Tuple> entries = new ArrayList<>();
        for (JsonNode entry : array) {
            entries.add(tuple(entry.get(first).asString(), entry.get(second).asString()));
        }
        return entries;
    }

    private JsonNode awaitOutcome(String correlationId, String outcome) {
        return await().atMost(PATIENCE).until(() -> process(correlationId),
                process -> process != null && outcome.equals(process.get("outcome").asString()));
    }

    private JsonNode process(String correlationId) throws Exception {
        HttpResponse<String> response = BrokerBackedTest.send(HttpRequest.newBuilder(uri("/processes/"
                + correlationId)).build());
        return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = BrokerBackedTest.send(HttpRequest.newBuilder(uri(path)).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
