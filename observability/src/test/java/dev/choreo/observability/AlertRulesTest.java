package dev.choreo.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alerting rules Prometheus loads in docker compose (observability/prometheus/alerts.yml): valid, and each
 * alert fires on the series it is about and stays quiet otherwise (promtool's rule unit tests, alerts.test.yml).
 */
class AlertRulesTest {

    private static final Path RULES = Repo.PROMETHEUS_CONFIG.resolveSibling("alerts.yml");
    private static final Path RULE_TESTS = Repo.PROMETHEUS_CONFIG.resolveSibling("alerts.test.yml");

    @Test
    void promtoolAcceptsTheRules() throws IOException, InterruptedException {
        String output = promtool("check", "rules", RULES.toString());
        assertThat(output).contains("SUCCESS: 7 rules found");
    }

    @Test
    void everyAlertFiresOnWhatItIsAboutAndOnlyThen() throws IOException, InterruptedException {
        String output = promtool("test", "rules", RULE_TESTS.toString());
        assertThat(output).contains("SUCCESS");
    }

    private static String promtool(String... arguments) throws IOException, InterruptedException {
        Path promtool = Tools.require("promtool", "apt-get install -y --no-install-recommends prometheus",
                "/usr/bin/promtool");
        List<String> command = new java.util.ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(RULES.getParent().toFile()).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", arguments), output).isZero();
        return output;
    }
}
