package dev.choreo.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.choreo.events.InvalidEventException.Reason;
import dev.choreo.events.order.OrderPlaced;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    @Test
    void roundTripsEveryEventOfTheCatalogue() {
        for (EventEnvelope<?> envelope : EventSamples.oneOfEachType()) {
            EventEnvelope<DomainEvent> read = EventJson.read(EventJson.write(envelope));
            assertThat(read).as(envelope.eventType()).isEqualTo(envelope);
        }
    }

    @Test
    void everyCatalogueTypeHasASample() {
        assertThat(EventSamples.oneOfEachType()).extracting(EventEnvelope::eventType)
                .containsExactlyInAnyOrderElementsOf(EventCatalog.all().stream().map(EventType::name).toList());
    }

    @Test
    void ignoresUnknownFieldsInEnvelopeAndPayload() {
        String json = new String(EventJson.write(EventSamples.orderPlaced()), StandardCharsets.UTF_8)
                .replace("\"payload\":{", "\"addedLater\":[1,2],\"payload\":{\"giftWrap\":true,");
        EventEnvelope<DomainEvent> read = EventJson.read(json.getBytes(StandardCharsets.UTF_8));
        assertThat(read.payload()).isInstanceOf(OrderPlaced.class);
    }

    @Test
    void refusesMalformedJson() {
        assertReason("{\"eventType\":", Reason.MALFORMED_JSON);
        assertReason("[]", Reason.MALFORMED_JSON);
    }

    @Test
    void refusesUnknownTypeAndUnsupportedVersion() {
        String json = new String(EventJson.write(EventSamples.orderPlaced()), StandardCharsets.UTF_8);
        assertReason(json.replace("\"OrderPlaced\"", "\"OrderTeleported\""), Reason.UNKNOWN_EVENT_TYPE);
        assertReason(json.replace("\"schemaVersion\":1", "\"schemaVersion\":99"), Reason.UNSUPPORTED_SCHEMA_VERSION);
    }

    @Test
    void refusesMissingEnvelopeFieldsAndInvalidPayloads() {
        String json = new String(EventJson.write(EventSamples.orderPlaced()), StandardCharsets.UTF_8);
        assertReason(json.replace("\"correlationId\"", "\"correlationIdentifier\""), Reason.MISSING_ENVELOPE_FIELD);
        assertReason(json.replace("\"customerId\":\"c-42\",", ""), Reason.INVALID_PAYLOAD);
        assertReason(json.replace("\"quantity\":2", "\"quantity\":\"two\""), Reason.INVALID_PAYLOAD);
        assertReason(json.replace("\"quantity\":2", "\"quantity\":0"), Reason.INVALID_PAYLOAD);
    }

    private static void assertReason(String json, Reason reason) {
        assertThatThrownBy(() -> EventJson.read(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
