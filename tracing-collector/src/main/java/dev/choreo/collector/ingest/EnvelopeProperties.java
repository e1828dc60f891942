package dev.choreo.collector.ingest;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the collector finds the envelope attributes of a record: the suite's own envelope by default, the CloudEvents
 * Kafka binding with {@code preset: cloudevents}, or any envelope by naming, per attribute, a header and/or a JSON
 * field. An attribute set here replaces the preset's mapping of it (both its header and its field); the rest stay.
 *
 * @param preset                the mapping to start from
 * @param type                  the event type (required: a record without one is no event)
 * @param id                    the event id (required); any string, a UUID or not
 * @param correlationId         the process an event belongs to
 * @param causationId           the id of the event that caused this one: links the learned map
 * @param time                  when the event occurred, an ISO-8601 instant
 * @param producer              who published the event (shown on the timeline)
 * @param payload               the JSON field that holds the payload (business keys and the endings' discriminator are
 *                              read in it); empty: the whole value is the payload, the envelope is all headers
 * @param structuredContentType when set, a record is read as a JSON envelope only if its {@code content-type} header
 *                              starts with this; any other record is the payload itself, its attributes in headers
 *                              (CloudEvents' binary content mode)
 */
@Validated
@ConfigurationProperties("choreo.collector.envelope")
public record EnvelopeProperties(
        @DefaultValue("choreo") @NotNull Preset preset,
        Attribute type,
        Attribute id,
        Attribute correlationId,
        Attribute causationId,
        Attribute time,
        Attribute producer,
        String payload,
        String structuredContentType) {

    /**
     * @param header a record header whose UTF-8 value is the attribute; it wins over the field
     * @param field  a field of the JSON value: a top-level name or a dotted path into nested objects ({@code meta.id})
     */
    public record Attribute(String header, String field) {
    }

    public enum Preset {
        /** The suite's envelope: a JSON object with the attributes and {@code payload}, most repeated as headers. */
        CHOREO,
        /**
         * The CloudEvents Kafka protocol binding, both content modes, with the Correlation extension
         * ({@code correlationid}, {@code causationid}) and {@code source} as the producer.
         */
        CLOUDEVENTS
    }
}
