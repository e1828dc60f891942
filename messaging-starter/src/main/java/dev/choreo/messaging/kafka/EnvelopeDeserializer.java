package dev.choreo.messaging.kafka;

import dev.choreo.events.DomainEvent;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventJson;
import dev.choreo.events.InvalidEventException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads an envelope, refusing anything that is not a valid event of the catalogue published by its type's owner on its
 * type's topic (a forged ProductCatalogued must not pin a price). Wrapped in Spring Kafka's
 * {@code ErrorHandlingDeserializer}, a refusal sends the record to the dead-letter topic instead of blocking
 * the partition.
 */
public class EnvelopeDeserializer implements Deserializer<EventEnvelope<DomainEvent>> {

    @Override
    public EventEnvelope<DomainEvent> deserialize(String topic, byte[] data) {
        if (data == null || data.length == 0) {
            throw new InvalidEventException(InvalidEventException.Reason.MALFORMED_JSON, "the record has no value");
        }
        return EventJson.read(data, topic);
    }
}
