package dev.choreo.events;

/**
 * One entry of the event catalogue: the wire name and schema version of a payload type, the topic it is
 * published to and the service that owns it.
 */
public record EventType(String name, int schemaVersion, Class<? extends DomainEvent> javaType, String topic,
        String producer) {
}
