package dev.choreo.messaging.outbox;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventJson;
import java.nio.charset.StandardCharsets;
import org.springframework.modulith.events.core.EventSerializer;

/**
 * Stores outbox entries in the events' own wire format, so an event re-sent after a restart is byte for byte
 * the event that was first published (same event id: consumers recognise a repeat).
 */
class EnvelopeOutboxSerializer implements EventSerializer {

    @Override
    public Object serialize(Object event) {
        if (!(event instanceof EventEnvelope<?> envelope)) {
            throw new IllegalArgumentException("only event envelopes go through the outbox, not " + event.getClass());
        }
        return EventJson.writeString(envelope);
    }

    @Override
    public <T> T deserialize(Object serialized, Class<T> type) {
        return type.cast(EventJson.read(serialized.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
