package dev.choreo.messaging.kafka;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventHeaders;
import dev.choreo.events.EventJson;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes an envelope as JSON and repeats its routing fields as record headers, whichever path sends it (the
 * outbox, a dead-letter republish, a test).
 */
public class EnvelopeSerializer implements Serializer<EventEnvelope<?>> {

    @Override
    public byte[] serialize(String topic, EventEnvelope<?> envelope) {
        return envelope == null ? null : EventJson.write(envelope);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, EventEnvelope<?> envelope) {
        if (envelope == null) {
            return null;
        }
        put(headers, EventHeaders.EVENT_ID, envelope.eventId().toString());
        put(headers, EventHeaders.EVENT_TYPE, envelope.eventType());
        put(headers, EventHeaders.SCHEMA_VERSION, Integer.toString(envelope.schemaVersion()));
        put(headers, EventHeaders.CORRELATION_ID, envelope.correlationId());
        put(headers, EventHeaders.PRODUCER, envelope.producer());
        return EventJson.write(envelope);
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
