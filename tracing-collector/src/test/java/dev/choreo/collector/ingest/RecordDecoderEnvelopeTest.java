package dev.choreo.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.choreo.collector.TestFlows;
import dev.choreo.collector.flow.Flow;
import dev.choreo.collector.flow.Vocabulary;
import dev.choreo.collector.ingest.EnvelopeProperties.Attribute;
import dev.choreo.collector.ingest.EnvelopeProperties.Preset;
import dev.choreo.collector.process.IngestedEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Envelopes other than the suite's: the CloudEvents binding in both content modes, and one mapped by hand. */
class RecordDecoderEnvelopeTest {

    private static final long RECORD_TIME = 1_700_000_000_000L;
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final EnvelopeProperties CLOUDEVENTS = new EnvelopeProperties(Preset.CLOUDEVENTS, null, null, null,
            null, null, null, null, null);

    private final Flow flow = new Flow(TestFlows.shipped(), new Vocabulary());

    @Test
    void cloudEventsBinaryModeTakesTheHeadersAndNeedsNoJsonNorTime() {
        RecordDecoder decoder = new RecordDecoder(flow, Map.of(), CLOUDEVENTS);
        IngestedEvent event = decoder.decode(record("not json at all", "ce_specversion", "1.0", "ce_id", "evt-2",
                "ce_type", "OrderPayed", "ce_source", "/payment", "ce_correlationid", "c-1", "ce_causationid",
                "evt-1", "content-type", "text/plain", "ce_traceparent", TRACEPARENT), true);

        assertThat(name(event.type())).isEqualTo("OrderPayed");
        assertThat(name(event.producer())).isEqualTo("/payment");
        assertThat(event.correlationId()).isEqualTo("c-1");
        assertThat(event.occurredAt()).isEqualTo(RECORD_TIME);
        assertThat(new long[] {event.eventIdHigh(), event.eventIdLow()}).isEqualTo(RecordDecoder.id128("evt-2"));
        assertThat(new long[] {event.causationHigh(), event.causationLow()}).isEqualTo(RecordDecoder.id128("evt-1"));
        assertThat(new long[] {event.traceHigh(), event.traceLow()}).isEqualTo(RecordDecoder.traceId(TRACEPARENT));
    }

    @Test
    void cloudEventsStructuredModeReadsTheFieldsInAnyOrderAndTheEndingInTheData() {
        RecordDecoder decoder = new RecordDecoder(flow, Map.of("customerId", "$.customerId"), CLOUDEVENTS);
        IngestedEvent event = decoder.decode(record("""
                {"specversion":"1.0","type":"CustomerNotified","source":"urn:notify","id":"n-9",
                 "time":"2026-12-06T14:00:00.250+01:00","data":{"kind":"ORDER_COMPLETED","customerId":"cu-3"},
                 "correlationid":"c-2","causationid":"s-8","traceparent":"%s"}""".formatted(TRACEPARENT),
                "Content-Type", "x", "content-type", "Application/CloudEvents+JSON; charset=UTF-8"), true);

        assertThat(name(event.type())).isEqualTo("CustomerNotified");
        assertThat(name(event.producer())).isEqualTo("urn:notify");
        assertThat(event.correlationId()).isEqualTo("c-2");
        assertThat(event.occurredAt()).isEqualTo(java.time.Instant.parse("2026-12-06T13:00:00.250Z").toEpochMilli());
        assertThat(event.discriminator()).isEqualTo("ORDER_COMPLETED");
        assertThat(event.searchKeys()).containsExactly("customerId", "cu-3");
        assertThat(new long[] {event.causationHigh(), event.causationLow()}).isEqualTo(RecordDecoder.id128("s-8"));
        assertThat(event.traceHigh()).isEqualTo(RecordDecoder.traceId(TRACEPARENT)[0]).isNotZero();
    }

    @Test
    void attributesAfterAnUnreadDataAreStillRead() {
        RecordDecoder decoder = new RecordDecoder(flow, Map.of(), CLOUDEVENTS);
        IngestedEvent event = decoder.decode(record("""
                {"type":"OrderPayed","id":"p-1","data":{"amount":{"value":3}},"correlationid":"c-4",
                 "causationid":"i-1","source":"/payment"}""", "content-type", "application/cloudevents+json"), true);

        assertThat(event.correlationId()).isEqualTo("c-4");
        assertThat(name(event.producer())).isEqualTo("/payment");
        assertThat(new long[] {event.causationHigh(), event.causationLow()}).isEqualTo(RecordDecoder.id128("i-1"));
    }

    @Test
    void aCustomEnvelopeMapsHeadersAndNestedFields() {
        EnvelopeProperties custom = new EnvelopeProperties(Preset.CHOREO, new Attribute("x-type", null),
                new Attribute(null, "meta.id"), new Attribute(null, "meta.trace.correlation"),
                new Attribute(null, "meta.trace.cause"), new Attribute(null, "meta.at"), new Attribute("x-app", null),
                "body", null);
        RecordDecoder decoder = new RecordDecoder(flow, Map.of(), custom);
        IngestedEvent event = decoder.decode(record("""
                {"body":{"kind":"ORDER_REJECTED"},"eventType":"ignored",
                 "meta":{"id":"42","at":1765000000123,"trace":{"correlation":"c-3","cause":"41"}}}""",
                "x-type", "CustomerNotified", "x-app", "notifier"), true);

        assertThat(name(event.type())).isEqualTo("CustomerNotified");
        assertThat(name(event.producer())).isEqualTo("notifier");
        assertThat(event.correlationId()).isEqualTo("c-3");
        assertThat(event.occurredAt()).isEqualTo(1765000000123L);
        assertThat(event.discriminator()).isEqualTo("ORDER_REJECTED");
        assertThat(new long[] {event.eventIdHigh(), event.eventIdLow()}).isEqualTo(RecordDecoder.id128("42"));
        assertThat(new long[] {event.causationHigh(), event.causationLow()}).isEqualTo(RecordDecoder.id128("41"));
    }

    @Test
    void uuidsKeepTheirBitsAndOtherIdsHashApart() {
        UUID uuid = UUID.randomUUID();
        assertThat(RecordDecoder.id128(uuid.toString()))
                .containsExactly(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
        assertThat(RecordDecoder.id128("loan-1/2")).isEqualTo(RecordDecoder.id128("loan-1/2"))
                .isNotEqualTo(RecordDecoder.id128("loan-1/3")).isNotEqualTo(RecordDecoder.id128("loan-2/1"))
                .isNotEqualTo(new long[2]);
        assertThat(RecordDecoder.id128(null)).isEqualTo(new long[2]);
    }

    @Test
    void anEnvelopeWithoutTypeOrIdIsRefusedAtStart() {
        EnvelopeProperties noType = new EnvelopeProperties(Preset.CLOUDEVENTS, new Attribute("", " "), null, null,
                null, null, null, null, null);
        assertThatThrownBy(() -> new RecordDecoder(flow, Map.of(), noType))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event type and id");
    }

    private String name(int index) {
        return flow.vocabulary().name(index);
    }

    private static ConsumerRecord<byte[], byte[]> record(String value, String... headers) {
        RecordHeaders recordHeaders = new RecordHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            recordHeaders.add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>("anything-events", 0, 7, RECORD_TIME, TimestampType.CREATE_TIME, 2, bytes.length,
                "k1".getBytes(StandardCharsets.UTF_8), bytes, recordHeaders, Optional.empty());
    }
}
