package dev.choreo.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The event catalogue as an AsyncAPI 3 document ({@code docs/asyncapi.yaml}), generated from the event records
 * and the catalogue, never written by hand. This test fails when the committed document differs from what the
 * code says; regenerate it with {@code ./mvnw -pl shared-events test -Dtest=AsyncApiCatalogueTest -Dasyncapi.write=true}.
 */
class AsyncApiCatalogueTest {

    private static final Path DOCUMENT = Path.of("..", "docs", "asyncapi.yaml");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    @Test
    void committedDocumentMatchesTheCode() throws IOException {
        String generated = YAML.writeValueAsString(document());
        if (Boolean.getBoolean("asyncapi.write")) {
            Files.writeString(DOCUMENT, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(DOCUMENT)).as(DOCUMENT + " exists").isTrue();
        assertThat(YAML.readTree(Files.readString(DOCUMENT)))
                .as("docs/asyncapi.yaml is stale: regenerate it (see this test's javadoc)")
                .isEqualTo(YAML.readTree(generated));
    }

    @Test
    void everyEventHasAChannelAndASchema() {
        JsonNode doc = document();
        for (EventType type : EventCatalog.all()) {
            assertThat(doc.at("/channels/" + type.topic() + "/messages/" + type.name()).isMissingNode())
                    .as(type.name()).isFalse();
            assertThat(doc.at("/components/schemas/" + type.name() + "/properties").size()).as(type.name())
                    .isPositive();
        }
    }

    static ObjectNode document() {
        var config = new SchemaGeneratorConfigBuilder(EventJson.mapper(), SchemaVersion.DRAFT_2020_12,
                OptionPreset.PLAIN_JSON)
                .with(Option.DEFINITIONS_FOR_ALL_OBJECTS)
                .without(Option.SCHEMA_VERSION_INDICATOR);
        // producers always write every field: the records' constructors refuse missing values
        config.forFields().withRequiredCheck(field -> true);
        var schemas = new SchemaGenerator(config.build());
        ObjectNode doc = EventJson.mapper().createObjectNode();
        doc.put("asyncapi", "3.0.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "choreo order process events");
        info.put("version", "1");
        info.put("description", "Every event travels in one envelope (see components.schemas.EventEnvelope); "
                + "the record key is the order id (SKU on product-catalogue) and the envelope's routing fields "
                + "are repeated as headers. Generated from shared-events by AsyncApiCatalogueTest.");
        ObjectNode channels = doc.putObject("channels");
        ObjectNode operations = doc.putObject("operations");
        ObjectNode components = doc.putObject("components");
        ObjectNode componentSchemas = components.putObject("schemas");
        ObjectNode messages = components.putObject("messages");

        ObjectNode envelope = componentSchemas.putObject("EventEnvelope");
        envelope.put("type", "object");
        envelope.putArray("required").add("eventId").add("eventType").add("schemaVersion").add("correlationId")
                .add("occurredAt").add("producer").add("payload");
        ObjectNode envelopeProperties = envelope.putObject("properties");
        envelopeProperties.putObject("eventId").put("type", "string").put("format", "uuid")
                .put("description", "unique per event; the consumers' idempotency key");
        envelopeProperties.putObject("eventType").put("type", "string");
        envelopeProperties.putObject("schemaVersion").put("type", "integer").put("minimum", 1);
        envelopeProperties.putObject("correlationId").put("type", "string")
                .put("description", "minted when the order is placed, carried unchanged by every later event");
        envelopeProperties.putObject("causationId").put("type", "string")
                .put("description", "the eventId this event reacts to");
        envelopeProperties.putObject("occurredAt").put("type", "string").put("format", "date-time");
        envelopeProperties.putObject("producer").put("type", "string");
        envelopeProperties.putObject("payload").put("type", "object");

        ObjectNode headers = componentSchemas.putObject("EventHeaders");
        headers.put("type", "object");
        ObjectNode headerProperties = headers.putObject("properties");
        for (String header : new String[] {EventHeaders.EVENT_ID, EventHeaders.EVENT_TYPE,
                EventHeaders.SCHEMA_VERSION, EventHeaders.CORRELATION_ID, EventHeaders.PRODUCER}) {
            headerProperties.putObject(header).put("type", "string");
        }

        Map<String, ObjectNode> channelMessages = new TreeMap<>();
        for (EventType type : EventCatalog.all()) {
            ObjectNode schema = (ObjectNode) schemas.generateSchema(type.javaType());
            JsonNode definitions = schema.remove("$defs");
            if (definitions != null) {
                definitions.properties().forEach(d -> componentSchemas.set(d.getKey(), rewriteRefs(d.getValue())));
            }
            componentSchemas.set(type.name(), rewriteRefs(schema));

            ObjectNode message = messages.putObject(type.name());
            message.put("name", type.name());
            message.put("title", type.name() + " v" + type.schemaVersion());
            message.put("summary", "published by " + type.producer() + " on " + type.topic());
            message.putObject("headers").put("$ref", "#/components/schemas/EventHeaders");
            ObjectNode payload = message.putObject("payload");
            payload.putArray("allOf").addObject().put("$ref", "#/components/schemas/EventEnvelope");
            ((tools.jackson.databind.node.ArrayNode) payload.get("allOf")).addObject().putObject("properties")
                    .putObject("payload").put("$ref", "#/components/schemas/" + type.name());

            channelMessages.computeIfAbsent(type.topic(), topic -> {
                ObjectNode channel = channels.putObject(topic);
                channel.put("address", topic);
                return channel.putObject("messages");
            }).putObject(type.name()).put("$ref", "#/components/messages/" + type.name());

            ObjectNode operation = operations.putObject(type.producer() + ".send" + type.name());
            operation.put("action", "send");
            operation.putObject("channel").put("$ref", "#/channels/" + type.topic());
            operation.putArray("messages").addObject()
                    .put("$ref", "#/channels/" + type.topic() + "/messages/" + type.name());
        }
        return doc;
    }

    private static JsonNode rewriteRefs(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isString() && ref.asString().startsWith("#/$defs/")) {
                object.put("$ref", ref.asString().replace("#/$defs/", "#/components/schemas/"));
            }
            object.properties().forEach(p -> rewriteRefs(p.getValue()));
        } else if (node != null && node.isArray()) {
            node.forEach(AsyncApiCatalogueTest::rewriteRefs);
        }
        return node;
    }
}
