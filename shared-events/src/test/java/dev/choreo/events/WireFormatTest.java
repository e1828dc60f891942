package dev.choreo.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Pins the JSON of every event of the catalogue to a reviewed file under {@code src/test/resources/wire-format}.
 * A change that alters what consumers read fails here; if the change is intended (an added optional field),
 * update the file in the same commit; if it breaks old consumers, add a new schema version instead.
 */
class WireFormatTest {

    @TestFactory
    Stream<DynamicTest> everyEventMatchesItsPinnedWireFormat() {
        return EventSamples.oneOfEachType().stream().map(envelope -> DynamicTest.dynamicTest(envelope.eventType(), () -> {
            String file = "/wire-format/" + envelope.eventType() + ".json";
            JsonNode actual = EventJson.mapper().readTree(EventJson.write(envelope));
            try (InputStream pinned = getClass().getResourceAsStream(file)) {
                if (pinned == null) {
                    Path proposal = Path.of("target", "wire-format", envelope.eventType() + ".json");
                    Files.createDirectories(proposal.getParent());
                    Files.writeString(proposal, actual.toPrettyString(), StandardCharsets.UTF_8);
                    throw new AssertionError("no pinned wire format " + file + "; review and copy " + proposal);
                }
                assertThat(actual).isEqualTo(EventJson.mapper().readTree(pinned));
            }
        }));
    }
}
