package dev.choreo.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.observability.Dashboards.CollectorQuery;
import dev.choreo.observability.Dashboards.Panel;
import dev.choreo.observability.Dashboards.PromQuery;
import dev.choreo.observability.Dashboards.Query;
import dev.choreo.observability.Dashboards.UnknownQuery;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard files, statically: they parse, every panel queries something (PromQL on the provisioned Prometheus,
 * or the collector's REST API for the table of stuck processes), only provisioned data sources are used, and the
 * panels the issue asks for are there. Whether each query is valid and returns data is DashboardQueriesTest's.
 */
class DashboardFilesTest {

    @Test
    void theTwoDashboardsParseWithUniqueUidsAndPanelIds() {
        List<Path> files = Repo.dashboardFiles();
        assertThat(files).extracting(file -> file.getFileName().toString())
                .contains("order-flow.json", "stalled-processes.json");
        Set<String> uids = new HashSet<>();
        for (Path file : files) {
            JsonNode dashboard = Dashboards.read(file);
            assertThat(uids.add(dashboard.path("uid").asString())).as("%s: unique uid", file).isTrue();
            assertThat(dashboard.path("title").asString()).as("%s: title", file).isNotBlank();
            Set<Integer> ids = new HashSet<>();
            dashboard.path("panels").forEach(panel -> {
                assertThat(ids.add(panel.path("id").asInt())).as("%s: panel id %s unique", file, panel.path("id")).isTrue();
                assertThat(panel.path("gridPos").path("w").asInt()).as("%s: %s has a size", file, panel.path("title")).isPositive();
            });
        }
    }

    @Test
    void everyPanelHasAPromQlExpressionOrACollectorQuery() {
        List<Panel> panels = Dashboards.panels();
        assertThat(panels).hasSizeGreaterThan(10);
        for (Panel panel : panels) {
            assertThat(panel.queries()).as("%s: queries", panel).isNotEmpty();
            for (Query query : panel.queries()) {
                assertThat(query).as("%s: data source", panel).isNotInstanceOf(UnknownQuery.class);
                if (query instanceof PromQuery prom) {
                    assertThat(prom.expr()).as("%s: expr", panel).isNotBlank();
                    assertThat(PromQl.forEvaluation(prom.expr(), "5m")).as("%s: only Grafana's range variables", panel)
                            .doesNotContain("$");
                    assertThat(PromQl.metricNames(prom.expr())).as("%s: reads a metric", panel).isNotEmpty();
                } else if (query instanceof CollectorQuery collector) {
                    assertThat(collector.url()).as("%s: the collector's REST API", panel)
                            .startsWith(Dashboards.COLLECTOR_IN_COMPOSE + "/processes");
                    assertThat(collector.selectors()).as("%s: columns", panel).isNotEmpty();
                }
            }
        }
    }

    @Test
    void panelsUseOnlyProvisionedDataSources() {
        Set<String> provisioned = provisionedDataSourceUids();
        assertThat(provisioned).contains(Dashboards.PROMETHEUS_UID, Dashboards.COLLECTOR_UID, "jaeger");
        for (Path file : Repo.dashboardFiles()) {
            for (JsonNode panel : Dashboards.read(file).path("panels")) {
                String uid = panel.path("datasource").path("uid").asString();
                assertThat(provisioned).as("%s: %s", file.getFileName(), panel.path("title")).contains(uid);
                panel.path("targets").forEach(target ->
                        assertThat(provisioned).contains(target.path("datasource").path("uid").asString(uid)));
            }
        }
    }

    @Test
    void orderFlowShowsThroughputLatencyStepsInFlightLagErrorsAndDeadLetters() {
        Set<String> metrics = metricsOf("Order flow");
        assertThat(metrics).contains(
                "choreo_processes_ended_total",           // orders per second by outcome
                "choreo_process_duration_seconds_bucket", // end-to-end latency percentiles
                "choreo_step_duration_seconds_bucket",    // time per step
                "choreo_processes_in_flight",             // processes in flight per step
                "kafka_consumer_fetch_manager_records_lag", // consumer lag per group
                "choreo_consumer_lag_max_seconds",        // consumer lag in seconds per group (the collector's)
                "choreo_inbox_events_total",              // events dead-lettered by each service
                "choreo_inbox_transient_failures_total",  // transient failures, retried
                "choreo_dead_letters_total");             // dead letters
    }

    @Test
    void stalledProcessesShowsStuckByStepAndSuspectAndATableLinkingToTheTimelineAndTheTrace() {
        List<Panel> stalled = Dashboards.panels().stream().filter(panel -> panel.dashboard().equals("Stalled processes")).toList();
        assertThat(stalled).flatMap(Panel::queries).filteredOn(PromQuery.class::isInstance).map(PromQuery.class::cast)
                .extracting(PromQuery::expr)
                .anySatisfy(expr -> assertThat(expr).contains("choreo_processes_stuck").contains("step").contains("suspect_service"));

        CollectorQuery table = stalled.stream().flatMap(panel -> panel.queries().stream())
                .filter(CollectorQuery.class::isInstance).map(CollectorQuery.class::cast).findFirst().orElseThrow();
        assertThat(table.url()).contains("status=STUCK");
        assertThat(table.selectors()).contains("correlationId", "suspect", "currentStep", "diagnosis.waitingMillis");

        String json = Repo.read(Repo.DASHBOARDS.resolve("stalled-processes.json"));
        // the collector's web view opens a process from ?process=<correlation id> (tracing-collector's static/app.js)
        assertThat(json).as("link to the collector's timeline view").contains("${collector_url}/?process=${__value.raw}");
        assertThat(json).as("link to the trace").contains("${jaeger_url}/search?service=order-service");
    }

    @Test
    void grafanaProvisionsTheDashboardsFromTheDirectoryComposeMounts() {
        Map<String, Object> provider = firstOf(Repo.GRAFANA_PROVISIONING.resolve("dashboards/dashboards.yml"), "providers");
        assertThat(ComposeFile.object(provider.get("options")).get("path")).isEqualTo("/var/lib/grafana/dashboards");
    }

    private static Set<String> metricsOf(String dashboard) {
        return Dashboards.panels().stream().filter(panel -> panel.dashboard().equals(dashboard))
                .flatMap(panel -> panel.queries().stream()).filter(PromQuery.class::isInstance)
                .flatMap(query -> PromQl.metricNames(((PromQuery) query).expr()).stream()).collect(Collectors.toSet());
    }

    private static Set<String> provisionedDataSourceUids() {
        Map<String, Object> root = new Yaml().load(Repo.read(Repo.GRAFANA_PROVISIONING.resolve("datasources/datasources.yml")));
        Set<String> uids = new HashSet<>();
        for (Object datasource : (List<?>) root.get("datasources")) {
            uids.add(String.valueOf(ComposeFile.object(datasource).get("uid")));
        }
        return uids;
    }

    private static Map<String, Object> firstOf(Path yaml, String key) {
        Map<String, Object> root = new Yaml().load(Repo.read(yaml));
        return ComposeFile.object(((List<?>) root.get(key)).get(0));
    }
}
