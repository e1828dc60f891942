package dev.choreo.observability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The Grafana dashboards of observability/grafana/dashboards, as panels and their queries. */
final class Dashboards {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    /** The uid of the provisioned Prometheus data source. */
    static final String PROMETHEUS_UID = "prometheus";
    /** The uid of the provisioned data source that reads the tracing collector's REST API (Infinity plugin). */
    static final String COLLECTOR_UID = "collector";
    /** Where Grafana reaches the collector inside compose; the tests replace it with the local run's address. */
    static final String COLLECTOR_IN_COMPOSE = "http://tracing-collector:8086";

    private Dashboards() {
    }

    static JsonNode read(Path file) {
        return JSON.readTree(file.toFile());
    }

    static List<Panel> panels() {
        List<Panel> panels = new ArrayList<>();
        for (Path file : Repo.dashboardFiles()) {
            JsonNode dashboard = read(file);
            collect(dashboard.path("title").asString(), dashboard.path("panels"), panels);
        }
        return panels;
    }

    private static void collect(String dashboard, JsonNode nodes, List<Panel> into) {
        for (JsonNode node : nodes) {
            if ("row".equals(node.path("type").asString())) {
                collect(dashboard, node.path("panels"), into); // panels of a collapsed row
                continue;
            }
            List<Query> queries = new ArrayList<>();
            for (JsonNode target : node.path("targets")) {
                String uid = target.path("datasource").path("uid").asString(node.path("datasource").path("uid").asString());
                if (PROMETHEUS_UID.equals(uid)) {
                    queries.add(new PromQuery(target.path("refId").asString(), target.path("expr").asString(),
                            target.path("instant").asBoolean(false)));
                } else if (COLLECTOR_UID.equals(uid)) {
                    List<String> selectors = new ArrayList<>();
                    target.path("columns").forEach(column -> selectors.add(column.path("selector").asString()));
                    queries.add(new CollectorQuery(target.path("refId").asString(), target.path("url").asString(),
                            selectors));
                } else {
                    queries.add(new UnknownQuery(target.path("refId").asString(), uid));
                }
            }
            into.add(new Panel(dashboard, node.path("title").asString(), node.path("type").asString(), queries));
        }
    }

    record Panel(String dashboard, String title, String type, List<Query> queries) {

        @Override
        public String toString() {
            return dashboard + " / " + title;
        }
    }

    sealed interface Query permits PromQuery, CollectorQuery, UnknownQuery {
        String refId();
    }

    /** A PromQL query of the Prometheus data source. */
    record PromQuery(String refId, String expr, boolean instant) implements Query {
    }

    /** A JSON query of the collector's REST API; the selectors are the table's columns (dot paths). */
    record CollectorQuery(String refId, String url, List<String> selectors) implements Query {
    }

    record UnknownQuery(String refId, String datasourceUid) implements Query {
    }
}
