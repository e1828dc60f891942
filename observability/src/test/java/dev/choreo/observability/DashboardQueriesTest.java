package dev.choreo.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.localsuite.ChoreoService;
import dev.choreo.observability.Dashboards.CollectorQuery;
import dev.choreo.observability.Dashboards.Panel;
import dev.choreo.observability.Dashboards.PromQuery;
import dev.choreo.observability.Dashboards.Query;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Every dashboard panel against the real thing: a real Prometheus scraping the running suite (with
 * observability/prometheus/prometheus.yml adapted to the local ports) after real orders - completed, declined,
 * out of stock, not shippable, a poison record, one stuck - evaluates every PromQL expression of every panel,
 * each valid and with data; every metric a dashboard names exists; the table of stuck processes gets the stuck
 * order, with every column, from the running collector.
 */
@ExtendWith(ObservedSuite.Extension.class)
class DashboardQueriesTest {

    /** Grafana's $__rate_interval and friends, long enough to hold the whole scenario. */
    private static final String WINDOW = "5m";

    private final ObservedSuite suite;

    DashboardQueriesTest(ObservedSuite suite) {
        this.suite = suite;
    }

    @Test
    void everyPromQlExpressionOfEveryPanelIsValidAndReturnsData() {
        List<String> problems = new ArrayList<>();
        // the per-partition lag metric appears only when Micrometer refreshes the Kafka client metrics (each minute)
        try {
            Awaitility.await("every dashboard query answered with data").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(2)).pollInSameThread().until(() -> {
                        problems.clear();
                        problems.addAll(problems());
                        return problems.isEmpty();
                    });
        } catch (ConditionTimeoutException timeout) {
            // reported below, query by query
        }
        assertThat(problems).as("dashboard queries without a valid answer with data").isEmpty();
    }

    @Test
    void everyMetricADashboardNamesExists() {
        Set<String> named = new TreeSet<>();
        for (Panel panel : Dashboards.panels()) {
            for (Query query : panel.queries()) {
                if (query instanceof PromQuery prom) {
                    named.addAll(PromQl.metricNames(prom.expr()));
                }
            }
        }
        Awaitility.await("every metric a dashboard names stored by Prometheus").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(suite.prometheus().metricNames()).containsAll(named));
    }

    @Test
    void theStalledDashboardNamesTheStuckStepAndItsSuspectAndTheServiceThatIsDown() {
        JsonNode stuck = suite.prometheus().query("sum by (step, suspect_service) (choreo_processes_stuck) > 0");
        assertThat(stuck.path("data").path("result")).as("stuck series: %s", stuck)
                .anySatisfy(series -> {
                    assertThat(series.path("metric").path("step").asString()).isEqualTo("ship");
                    assertThat(series.path("metric").path("suspect_service").asString()).isEqualTo("shipping-service");
                });
        JsonNode down = suite.prometheus().query("up{job=\"choreo\"} == 0");
        assertThat(down.path("data").path("result")).extracting(series -> series.path("metric").path("service").asString())
                .containsExactly("shipping-service");
    }

    @Test
    void theTableOfStuckProcessesGetsTheStuckOrderWithEveryColumnFromTheCollector() {
        String collector = suite.baseUrl(ChoreoService.TRACING_COLLECTOR);
        List<CollectorQuery> tables = Dashboards.panels().stream().flatMap(panel -> panel.queries().stream())
                .filter(CollectorQuery.class::isInstance).map(CollectorQuery.class::cast).toList();
        assertThat(tables).isNotEmpty();
        for (CollectorQuery table : tables) {
            JsonNode rows = ObservedSuite.getJson(table.url().replace(Dashboards.COLLECTOR_IN_COMPOSE, collector));
            JsonNode row = null;
            for (JsonNode candidate : rows) {
                if (candidate.path("correlationId").asString().equals(suite.order("stuck").correlationId())) {
                    row = candidate;
                }
            }
            assertThat(row).as("the stuck order in %s: %s", table.url(), rows).isNotNull();
            for (String selector : table.selectors()) {
                assertThat(select(row, selector).isMissingNode() || select(row, selector).isNull())
                        .as("column %s of %s", selector, row).isFalse();
            }
            assertThat(row.path("suspect").asString()).isEqualTo("shipping-service");
        }
    }

    @Test
    void theTablesLinkToTheCollectorsViewOpensTheStuckProcess() {
        String link = "";
        for (JsonNode url : Dashboards.read(Repo.DASHBOARDS.resolve("stalled-processes.json")).findValues("url")) {
            if (url.asString().startsWith("${collector_url}")) {
                link = url.asString();
            }
        }
        String collector = suite.baseUrl(ChoreoService.TRACING_COLLECTOR);
        String stuck = suite.order("stuck").correlationId();
        String url = link.replace("${collector_url}", collector).replace("${__value.raw}", stuck);
        assertThat(url).as("the link of the table").startsWith(collector + "/?process=" + stuck);
        // the web view is one page that opens the process named in ?process=; the process is there to show
        assertThat(ObservedSuite.getText(url)).containsIgnoringCase("<html");
        assertThat(ObservedSuite.getJson(collector + "/processes/" + stuck).path("outcome").asString()).isEqualTo("STUCK");
    }

    private List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (Panel panel : Dashboards.panels()) {
            for (Query query : panel.queries()) {
                if (query instanceof PromQuery prom) {
                    JsonNode answer = suite.prometheus().query(PromQl.forEvaluation(prom.expr(), WINDOW));
                    JsonNode result = answer.path("data").path("result");
                    if (!"success".equals(answer.path("status").asString())) {
                        problems.add(panel + " [" + prom.refId() + "] invalid: " + answer);
                    } else if (result.isEmpty()) {
                        problems.add(panel + " [" + prom.refId() + "] no data: " + prom.expr());
                    } else if (!hasANumber(result)) {
                        problems.add(panel + " [" + prom.refId() + "] only NaN/Inf: " + prom.expr() + " -> " + result);
                    }
                }
            }
        }
        return problems;
    }

    private static boolean hasANumber(JsonNode result) {
        for (JsonNode series : result) {
            String value = series.path("value").path(1).asString();
            try {
                if (Double.isFinite(Double.parseDouble(value))) {
                    return true;
                }
            } catch (NumberFormatException notANumber) {
                // "NaN" parses; anything else is not a sample
            }
        }
        return false;
    }

    private static JsonNode select(JsonNode row, String dotPath) {
        JsonNode node = row;
        for (String part : dotPath.split("\\.")) {
            node = node.path(part);
        }
        return node;
    }
}
