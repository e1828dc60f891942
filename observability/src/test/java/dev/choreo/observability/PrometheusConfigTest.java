package dev.choreo.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.observability.Dashboards.PromQuery;
import dev.choreo.observability.Repo.SpringService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The scrape configuration and the dashboards' PromQL against real Prometheus tooling, without the suite: promtool
 * accepts the compose file's configuration and its local variant, every service is scraped, and a real Prometheus
 * parses every dashboard expression.
 */
class PrometheusConfigTest {

    @TempDir
    Path work;

    @Test
    void everyServiceOfTheRepositoryIsScrapedAtItsActuatorEndpoint() {
        ScrapeConfig config = ScrapeConfig.load();
        assertThat(config.job(ScrapeConfig.SERVICES_JOB).get("metrics_path")).isEqualTo("/actuator/prometheus");
        Map<String, Map<String, String>> targets = config.targets(ScrapeConfig.SERVICES_JOB);
        for (SpringService service : Repo.springServices()) {
            assertThat(targets).as("scrape target of %s", service.module())
                    .containsEntry(service.module() + ":" + service.port(), Map.of("service", service.module()));
        }
        assertThat(targets).hasSize(Repo.springServices().size());
    }

    /** Issue 15: the services' endpoints take no anonymous call; Prometheus is the user scraper, its password a file. */
    @Test
    @SuppressWarnings("unchecked")
    void theServicesAreScrapedAsTheScraperUserWithThePasswordFileComposeMounts() {
        Map<String, Object> basicAuth = (Map<String, Object>) ScrapeConfig.load().job(ScrapeConfig.SERVICES_JOB).get("basic_auth");
        assertThat(basicAuth).as("basic_auth of job %s", ScrapeConfig.SERVICES_JOB)
                .containsEntry("username", ScrapeConfig.SCRAPER_USER)
                .doesNotContainKey("password");
        String passwordFile = String.valueOf(basicAuth.get("password_file"));
        String directory = passwordFile.substring(0, passwordFile.lastIndexOf('/'));
        ComposeFile compose = ComposeFile.load();
        String volume = ComposeFile.strings(compose.service("prometheus").get("volumes")).stream()
                .filter(mount -> mount.startsWith("choreo-") && mount.contains(":" + directory + ":"))
                .findFirst().orElseThrow(() -> new AssertionError("prometheus mounts no secret volume at " + directory));
        assertThat(volume).endsWith(":ro");
        String volumeName = volume.substring(0, volume.indexOf(':'));
        // the secrets container writes the scraper's password (and nothing else) into that volume
        assertThat(ComposeFile.strings(compose.service("secrets").get("volumes")))
                .contains(volumeName + ":" + directory);
        // (SecretsScriptTest: the file there is the scraper's HTTP password)
        assertThat(passwordFile).isEqualTo("/run/secrets/choreo-scraper/scraper-password");
        // no service mounts it: they read the HTTP users' passwords from their own volume; Grafana does, read-only,
        // for its collector data source (the scraper may read the processes, not act on them)
        compose.services().forEach((name, service) -> {
            if (name.equals("grafana")) {
                assertThat(ComposeFile.strings(service.get("volumes"))).contains(volumeName + ":" + directory + ":ro");
            } else if (!name.equals("prometheus") && !name.equals("secrets")) {
                assertThat(ComposeFile.strings(service.get("volumes"))).as("%s mounts", name)
                        .noneMatch(mount -> mount.startsWith(volumeName + ":"));
            }
        });
    }

    @Test
    void promtoolAcceptsTheConfigurationAndItsLocalVariant() throws IOException, InterruptedException {
        Path promtool = Tools.require("promtool", "apt-get install -y --no-install-recommends prometheus", "/usr/bin/promtool");
        check(promtool, Repo.PROMETHEUS_CONFIG);
        check(promtool, ScrapeConfig.load().writeLocalVariant(work.resolve("local.yml"), localAddresses(9)));
    }

    @Test
    void aRealPrometheusParsesEveryDashboardExpression() {
        Path config = ScrapeConfig.load().writeLocalVariant(work.resolve("prometheus.yml"), localAddresses(9));
        try (PrometheusServer prometheus = PrometheusServer.start(config, work.resolve("prometheus"), PrometheusServer.freePort())) {
            for (Dashboards.Panel panel : Dashboards.panels()) {
                for (Dashboards.Query query : panel.queries()) {
                    if (query instanceof PromQuery prom) {
                        JsonNode answer = prometheus.query(PromQl.forEvaluation(prom.expr(), "5m"));
                        assertThat(answer.path("status").asString()).as("%s [%s]: %s -> %s", panel, prom.refId(), prom.expr(), answer)
                                .isEqualTo("success");
                    }
                }
            }
        }
    }

    /** Every compose host of the file mapped to an unused local port (nothing answers: only syntax matters here). */
    private static Map<String, String> localAddresses(int seed) {
        Map<String, String> addresses = new LinkedHashMap<>();
        for (SpringService service : Repo.springServices()) {
            addresses.put(service.module(), "127.0.0.1:" + (service.port() + 10000 + seed));
        }
        addresses.put("localhost", "127.0.0.1:9090");
        return addresses;
    }

    private static void check(Path promtool, Path config) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(promtool.toString(), "check", "config", config.toString()))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("promtool check config %s:\n%s", config, output).isZero();
    }
}
