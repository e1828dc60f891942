package dev.choreo.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

class PayloadPathsTest {

    private static final String PAYLOAD = """
            {"orderId":"o-1","customer":{"id":"c-7","tier":3},"lines":[{"sku":"A","qty":1},{"sku":"B"},{"qty":2}],
             "unavailableSkus":["X","Y"],"note":null,"kind":"ORDER_COMPLETED","big":{"deep":[1,2,{"sku":"no"}]}}""";

    @Test
    void readsNestedFieldsArraysAndScalarsInOnePass() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("customerId", "$.customer.id");
        fields.put("tier", "$.customer.tier");
        fields.put("sku", "$.lines[*].sku");
        fields.put("unavailable", "$.unavailableSkus[*]");
        fields.put("note", "$.note");
        fields.put("missing", "$.nothing.here");

        assertThat(read(new PayloadPaths(fields), "kind")).containsExactly("customerId", "c-7", "tier", "3", "sku", "A",
                "sku", "B", "unavailable", "X", "unavailable", "Y", PayloadPaths.DISCRIMINATOR, "ORDER_COMPLETED");
    }

    @Test
    void refusesWhatIsNotTheSubset() {
        assertThatThrownBy(() -> new PayloadPaths(Map.of("a", "customerId"))).hasMessageContaining("must start with");
        assertThatThrownBy(() -> new PayloadPaths(Map.of("a", "$.lines[0].sku"))).hasMessageContaining("[*]");
        assertThatThrownBy(() -> new PayloadPaths(Map.of("a", "$..sku"))).hasMessageContaining("not a field name");
    }

    private static List<String> read(PayloadPaths paths, String discriminator) {
        try (JsonParser parser = new JsonFactory().createParser(ObjectReadContext.empty(), PAYLOAD)) {
            List<String> found = new ArrayList<>();
            paths.read(parser, parser.nextToken(), discriminator, found);
            return found;
        }
    }
}
