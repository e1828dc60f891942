package dev.choreo.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.localsuite.ChoreoService;
import dev.choreo.observability.ObservedSuite.Order;
import dev.choreo.observability.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * W3C trace context end to end, with the OpenTelemetry Java agent attached to every service as in the Docker
 * images and exporting OTLP to an in-test receiver: one order's HTTP request and every producer and consumer span
 * across all five services share one trace; every record of the order carries that trace in {@code traceparent};
 * the collector's timeline and every service's log lines show the trace id next to the correlation id.
 */
@ExtendWith(ObservedSuite.Extension.class)
class TracePropagationTest {

    private static final List<String> FLOW_SERVICES =
            List.of("order-service", "inventory-service", "payment-service", "shipping-service", "notification-service");
    private static final List<String> PROCESS_TOPICS =
            List.of("order-events", "inventory-events", "payment-events", "shipping-events", "notification-events");
    private static final String CORRELATION_ATTRIBUTE = "messaging.header.correlationId";

    private final ObservedSuite suite;
    private final Order order;

    TracePropagationTest(ObservedSuite suite) {
        this.suite = suite;
        this.order = suite.order("completed");
    }

    @Test
    void oneOrdersSpansFromAllServicesShareOneTraceStartedByItsHttpRequest() {
        String traceId = awaitTraceOfTheOrder();
        List<ReceivedSpan> trace = suite.otlp().spans().stream().filter(span -> span.traceId().equals(traceId)).toList();

        assertThat(trace).filteredOn(ReceivedSpan::isRoot).as("root span")
                .singleElement().satisfies(root -> {
                    assertThat(root.service()).isEqualTo("order-service");
                    assertThat(root.kind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
                    assertThat(root.name()).isEqualTo("POST /orders");
                });
        assertThat(servicesWith(trace, SpanKind.SPAN_KIND_CONSUMER)).as("services consuming the order's events")
                .containsAll(FLOW_SERVICES);
        assertThat(servicesWith(trace, SpanKind.SPAN_KIND_PRODUCER)).as("services publishing the order's events")
                .containsAll(FLOW_SERVICES);

        // every span of the five services that names the order's correlation id is in this one trace
        assertThat(flowSpansOfTheOrder()).extracting(ReceivedSpan::traceId).containsOnly(traceId);
        assertThat(trace).filteredOn(span -> span.kind() == SpanKind.SPAN_KIND_PRODUCER || span.kind() == SpanKind.SPAN_KIND_CONSUMER)
                .as("producer and consumer spans carry the correlation id")
                .allSatisfy(span -> assertThat(span.attribute(CORRELATION_ATTRIBUTE)).containsExactly(order.correlationId()));
    }

    @Test
    void everyRecordOfTheOrderCarriesTheTraceInItsTraceparentHeader() {
        String traceId = awaitTraceOfTheOrder();
        Pattern traceparent = Pattern.compile("00-" + traceId + "-[0-9a-f]{16}-[0-9a-f]{2}");
        List<ConsumerRecord<byte[], byte[]>> records = recordsOf(order.correlationId());
        assertThat(records).extracting(ConsumerRecord::topic).as("topics with the order's records")
                .containsAll(PROCESS_TOPICS);
        assertThat(records).allSatisfy(record -> assertThat(header(record, "traceparent"))
                .as("traceparent of %s-%d@%d", record.topic(), record.partition(), record.offset()).matches(traceparent));
    }

    @Test
    void theCollectorsTimelineAndEveryServicesLogShowTheTraceIdNextToTheCorrelationId() throws IOException {
        String traceId = awaitTraceOfTheOrder();
        JsonNode process = ObservedSuite.getJson(suite.baseUrl(ChoreoService.TRACING_COLLECTOR) + "/processes/" + order.correlationId());
        assertThat(process.path("outcome").asString()).isEqualTo("COMPLETED");
        assertThat(process.path("timeline")).isNotEmpty()
                .allSatisfy(entry -> assertThat(entry.path("traceId").asString()).as("timeline entry %s", entry).isEqualTo(traceId));

        String mdc = "," + order.correlationId() + "," + traceId + "]";
        for (ChoreoService service : ChoreoService.values()) {
            if (FLOW_SERVICES.contains(service.moduleName())) {
                assertThat(Files.readString(suite.logFile(service)))
                        .as("%s logs [%s,<correlation id>,<trace id>]", service.moduleName(), service.moduleName())
                        .contains("[" + service.moduleName() + mdc);
            }
        }
    }

    /**
     * The messaging spans of the five services that name the order's correlation id. Not the spans of whole polls:
     * every service (and the collector) reads its topics in batches, and the agent's span of a batch starts a trace
     * of its own, linked to the records' traces; such a span is a consumer span without a parent. Each record's own
     * span (messaging-starter's inbox) is a child of the span that produced the record.
     */
    private List<ReceivedSpan> flowSpansOfTheOrder() {
        return suite.otlp().spans().stream().filter(span -> FLOW_SERVICES.contains(span.service()))
                .filter(span -> !(span.isRoot() && span.kind() == SpanKind.SPAN_KIND_CONSUMER))
                .filter(span -> span.attribute(CORRELATION_ATTRIBUTE).contains(order.correlationId())).toList();
    }

    /** The trace of the order: the spans of the five services that name its correlation id are in it. */
    private String awaitTraceOfTheOrder() {
        return Awaitility.await("spans of order " + order.orderId() + " from every service")
                .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Set<String> traces = flowSpansOfTheOrder().stream().map(ReceivedSpan::traceId).collect(Collectors.toSet());
                    if (traces.size() != 1) {
                        return traces.isEmpty() ? null : String.join(",", traces);
                    }
                    String traceId = traces.iterator().next();
                    boolean complete = servicesWith(suite.otlp().spans().stream().filter(span -> span.traceId().equals(traceId)).toList(),
                            SpanKind.SPAN_KIND_CONSUMER).containsAll(FLOW_SERVICES);
                    return complete ? traceId : null;
                }, traceId -> traceId != null && !traceId.contains(","));
    }

    private static Set<String> servicesWith(List<ReceivedSpan> spans, SpanKind kind) {
        return spans.stream().filter(span -> span.kind() == kind).map(ReceivedSpan::service).collect(Collectors.toSet());
    }

    /** Every record on the process topics with the order's correlation id header, read from the beginning. */
    private List<ConsumerRecord<byte[], byte[]>> recordsOf(String correlationId) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, suite.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "observability-test-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(PROCESS_TOPICS);
            Awaitility.await("the order's records on " + PROCESS_TOPICS).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ZERO).until(() -> {
                        consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                            if (correlationId.equals(header(record, "correlationId"))) {
                                found.add(record);
                            }
                        });
                        return found.stream().map(ConsumerRecord::topic).collect(Collectors.toSet()).containsAll(PROCESS_TOPICS);
                    });
            // whatever else of the order is still unread on the assigned partitions
            for (int i = 0; i < 3; i++) {
                consumer.poll(Duration.ofMillis(300)).forEach(record -> {
                    if (correlationId.equals(header(record, "correlationId"))) {
                        found.add(record);
                    }
                });
            }
        }
        return found;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
