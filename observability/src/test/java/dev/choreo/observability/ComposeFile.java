package dev.choreo.observability;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** docker-compose.yml as data (SnakeYAML resolves the anchors and merge keys the file uses). */
final class ComposeFile {

    private final Map<String, Object> root;

    private ComposeFile(Map<String, Object> root) {
        this.root = root;
    }

    static ComposeFile load() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new ComposeFile(new Yaml(options).load(Repo.read(Repo.COMPOSE_FILE)));
    }

    Map<String, Map<String, Object>> services() {
        return map(root.get("services"));
    }

    Map<String, Object> service(String name) {
        Map<String, Object> service = services().get(name);
        if (service == null) {
            throw new AssertionError("docker-compose.yml has no service " + name + "; it has " + services().keySet());
        }
        return service;
    }

    /** The service's environment as a map, whichever of the two compose notations it uses. */
    static Map<String, String> environment(Map<String, Object> service) {
        Object environment = service.get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> entries) {
            entries.forEach((key, value) -> result.put(String.valueOf(key), value == null ? null : String.valueOf(value)));
        } else if (environment instanceof List<?> entries) {
            for (Object entry : entries) {
                String text = String.valueOf(entry);
                int equals = text.indexOf('=');
                result.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? null : text.substring(equals + 1));
            }
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Map<String, Object>>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    static List<String> strings(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }
}
