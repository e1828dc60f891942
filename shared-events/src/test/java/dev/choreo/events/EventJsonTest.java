package dev.choreo.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.choreo.events.InvalidEventException.Reason;
import dev.choreo.events.order.OrderPlaced;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
    void refusesAnEventNotPublishedByTheOwnerOfItsTypeOrOnAnotherTopic() {
        String json = new String(EventJson.write(EventSamples.orderPlaced()), StandardCharsets.UTF_8);
        String forged = json.replace("\"producer\":\"order-service\"", "\"producer\":\"payment-service\"");
        assertThat(forged).isNotEqualTo(json);
        assertThat(EventJson.read(forged.getBytes(StandardCharsets.UTF_8)).producer()).as("a tool reads it as it is")
                .isEqualTo("payment-service");
        assertThatThrownBy(() -> EventJson.read(forged.getBytes(StandardCharsets.UTF_8), Topics.ORDER_EVENTS))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NOT_FROM_OWNER);
                    assertThat(e.eventType()).contains("OrderPlaced");
                    assertThat(e.getMessage()).contains("published by order-service only, not by payment-service");
                });

        byte[] genuine = json.getBytes(StandardCharsets.UTF_8);
        assertThat(EventJson.read(genuine, Topics.ORDER_EVENTS).eventType()).isEqualTo("OrderPlaced");
        assertThatThrownBy(() -> EventJson.read(genuine, Topics.SHIPPING_EVENTS))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.WRONG_TOPIC);
                    assertThat(e.getMessage()).endsWith("OrderPlaced is published on order-events, not on shipping-events");
                });
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
        assertReason(json.replace("\"schemaVersion\":2", "\"schemaVersion\":99"), Reason.UNSUPPORTED_SCHEMA_VERSION);
    }

    @Test
    void refusesTheRetiredOrderPlacedV1ThatCarriedTheCardNumber() {
        String v1 = new String(EventJson.write(EventSamples.orderPlaced()), StandardCharsets.UTF_8)
                .replace("\"schemaVersion\":2", "\"schemaVersion\":1")
                .replace("{\"token\":\"tok_visa\"}", "{\"cardNumber\":\"4242424242424242\"}");
        assertReason(v1, Reason.UNSUPPORTED_SCHEMA_VERSION);
    }

    @Test
    void refusesAPaymentThatIsNotAProvidersToken() {
        String json = new String(EventJson.write(EventSamples.orderPlaced()), StandardCharsets.UTF_8);
        assertReason(json.replace("\"tok_visa\"", "\"4242424242424242\""), Reason.INVALID_PAYLOAD);
        assertReason(json.replace("\"tok_visa\"", "\"tok_" + "x".repeat(Limits.PAYMENT_TOKEN) + "\""),
                Reason.INVALID_PAYLOAD);
    }

    @Test
    void refusesMissingEnvelopeFieldsAndInvalidPayloads() {
        String json = new String(EventJson.write(EventSamples.orderPlaced()), StandardCharsets.UTF_8);
        assertReason(json.replace("\"correlationId\"", "\"correlationIdentifier\""), Reason.MISSING_ENVELOPE_FIELD);
        assertReason(json.replace("\"customerId\":\"c-42\",", ""), Reason.INVALID_PAYLOAD);
        assertReason(json.replace("\"quantity\":2", "\"quantity\":\"two\""), Reason.INVALID_PAYLOAD);
        assertReason(json.replace("\"quantity\":2", "\"quantity\":0"), Reason.INVALID_PAYLOAD);
    }

    @Test
    @Timeout(5)
    void refusesAmountsBeyondTheLimitsWithoutExpandingThem() {
        String json = orderPlacedJson();
        // 1e999999999 is a valid JSON number of 11 characters; its plain form has a billion digits
        assertReason(json.replace("\"total\":99.80", "\"total\":1e999999999"), Reason.INVALID_PAYLOAD,
                "total must not exceed " + Limits.MAX_AMOUNT_TEXT);
        assertReason(json.replace("\"total\":99.80", "\"total\":1e-999999999"), Reason.INVALID_PAYLOAD,
                "total must not have more than 2 decimals");
        assertReason(json.replace("\"unitPrice\":49.90", "\"unitPrice\":10000000000.00"), Reason.INVALID_PAYLOAD,
                "unitPrice must not exceed");
        assertReason(json.replace("\"total\":99.80", "\"total\":" + "9".repeat(Limits.MAX_JSON_NUMBER + 1)),
                Reason.TOO_LARGE, "Number value length");
        assertThat(EventJson.read(json.replace("\"total\":99.80", "\"total\":99.800")
                .getBytes(StandardCharsets.UTF_8)).payload()).isInstanceOf(OrderPlaced.class);
    }

    @Test
    void refusesTextsBeyondTheirLimitNamingTheField() {
        String json = orderPlacedJson();
        assertReason(json.replace("\"c-42\"", "\"" + "c".repeat(Limits.ID + 1) + "\""), Reason.INVALID_PAYLOAD,
                "customerId must not be longer than " + Limits.ID + " characters");
        assertReason(json.replace("\"Helsinki\"", "\"" + "x".repeat(Limits.NAME + 1) + "\""),
                Reason.INVALID_PAYLOAD, "city must not be longer than " + Limits.NAME);
        assertReason(json.replace("\"Helsinki\"", "\"" + "x".repeat(Limits.MAX_JSON_STRING + 1) + "\""),
                Reason.TOO_LARGE, "String value length");
        assertReason(json.replace("\"addedLater\"", "\"" + "x".repeat(Limits.MAX_JSON_STRING + 1) + "\""),
                Reason.TOO_LARGE, "Name length");
    }

    @Test
    @Timeout(5)
    void refusesAHugeDocumentBeforeReadingIt() {
        String tenMegabytes = "x".repeat(10 * 1024 * 1024);
        assertReason(orderPlacedJson().replace("\"Helsinki\"", "\"" + tenMegabytes + "\""), Reason.TOO_LARGE,
                "Document length");
    }

    @Test
    void refusesDeepNesting() {
        String deep = "[".repeat(Limits.MAX_JSON_DEPTH + 1) + "]".repeat(Limits.MAX_JSON_DEPTH + 1);
        assertReason(orderPlacedJson().replace("\"payload\":{", "\"addedLater\":" + deep + ",\"payload\":{"),
                Reason.TOO_LARGE, "Document nesting depth");
    }

    @Test
    void refusesTooManyLines() {
        String line = "{\"sku\":\"S\",\"quantity\":1,\"unitPrice\":1}";
        String json = orderPlacedJson();
        String lines = json.substring(json.indexOf("\"lines\":["), json.indexOf("]", json.indexOf("\"lines\":[")) + 1);
        assertReason(json.replace(lines, "\"lines\":[" + String.join(",", java.util.Collections.nCopies(
                Limits.LINES_PER_ORDER + 1, line)) + "]"), Reason.INVALID_PAYLOAD,
                "lines must not have more than " + Limits.LINES_PER_ORDER + " elements");
        // 10,000 lines: refused by its size, before a single line is built
        assertReason(json.replace(lines, "\"lines\":[" + String.join(",", java.util.Collections.nCopies(
                10_000, line)) + "]"), Reason.TOO_LARGE, "Document length");
    }

    private static String orderPlacedJson() {
        return new String(EventJson.write(EventSamples.orderPlaced()), StandardCharsets.UTF_8)
                .replace("\"payload\":{", "\"addedLater\":1,\"payload\":{");
    }

    private static void assertReason(String json, Reason reason) {
        assertThatThrownBy(() -> EventJson.read(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static void assertReason(String json, Reason reason, String message) {
        assertThatThrownBy(() -> EventJson.read(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(message);
    }
}
