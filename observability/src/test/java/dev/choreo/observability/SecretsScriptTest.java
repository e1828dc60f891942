package dev.choreo.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose file's one-shot secrets container (observability/secrets/generate-secrets.sh), run with the shell it
 * gets there (sh) on the directories compose mounts into it: each password generated once, random, 32 plain
 * characters, readable by the containers' users, and kept on the next run; one Kafka password per service principal
 * in that principal's own volume; the HTTP users' passwords named like their properties; Prometheus's copy of the
 * scraper's password equal to the services' one.
 */
class SecretsScriptTest {

    private static final Path SCRIPT = Repo.ROOT.resolve("observability/secrets/generate-secrets.sh");
    static final List<String> KAFKA_PRINCIPALS = List.of("order-service", "inventory-service", "payment-service",
            "shipping-service", "notification-service", "tracing-collector");
    static final List<String> HTTP_USERS = List.of("customer", "operator", "scraper");

    @Test
    void generatesEachPasswordOnceAndKeepsThemOnTheNextRun(@TempDir Path root) throws Exception {
        createComposeMounts(root);
        List<Path> files = new ArrayList<>(List.of(root.resolve("choreo-db/DB_PASSWORD"),
                root.resolve("choreo-admin/postgres-password"), root.resolve("choreo-admin/grafana-admin-password"),
                root.resolve("choreo-kafka-admin/admin-password"), root.resolve("choreo-kafka-admin/controller-password")));
        KAFKA_PRINCIPALS.forEach(principal -> files.add(root.resolve("choreo-kafka-" + principal + "/KAFKA_PASSWORD")));
        HTTP_USERS.forEach(user -> files.add(root.resolve("choreo-http/choreo.security.users." + user + ".password")));

        String firstRun = run(root);
        assertThat(firstRun).contains("generated Grafana's admin password", "generated the Kafka password of payment-service",
                "generated the HTTP password of scraper");
        List<String> first = new ArrayList<>();
        for (Path file : files) {
            String password = Files.readString(file);
            first.add(password);
            assertThat(password).as("%s", file).matches("[A-Za-z0-9]{32}");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as("%s", file).isEqualTo("r--r--r--");
        }
        assertThat(first).as("a different password each").doesNotHaveDuplicates();
        Path scraperCopy = root.resolve("choreo-scraper/scraper-password");
        assertThat(scraperCopy).content().isEqualTo(Files.readString(root.resolve("choreo-http/choreo.security.users.scraper.password")));
        try (var prometheusSees = Files.list(root.resolve("choreo-scraper"))) {
            assertThat(prometheusSees).as("Prometheus's volume holds the scraper's password only").containsExactly(scraperCopy);
        }
        for (String principal : KAFKA_PRINCIPALS) {
            try (var serviceSees = Files.list(root.resolve("choreo-kafka-" + principal))) {
                assertThat(serviceSees).as("the volume of %s holds its own password only", principal)
                        .containsExactly(root.resolve("choreo-kafka-" + principal + "/KAFKA_PASSWORD"));
            }
        }

        String secondRun = run(root);
        assertThat(secondRun).doesNotContain("generated").doesNotContain("copied");
        for (int i = 0; i < files.size(); i++) {
            assertThat(Files.readString(files.get(i))).as("kept: %s", files.get(i)).isEqualTo(first.get(i));
        }
    }

    /** The directories the compose file mounts into the secrets container (its volumes' targets), under root. */
    static void createComposeMounts(Path root) throws IOException {
        List<String> mounts = ComposeFile.strings(ComposeFile.load().service("secrets").get("volumes"));
        for (String mount : mounts) {
            String target = mount.split(":")[1];
            if (target.startsWith("/run/secrets/")) {
                Files.createDirectories(root.resolve(target.substring("/run/secrets/".length())));
            }
        }
        for (String principal : KAFKA_PRINCIPALS) {
            assertThat(root.resolve("choreo-kafka-" + principal)).as("compose mounts a Kafka secret volume for %s", principal)
                    .isDirectory();
        }
    }

    static String run(Path root) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("sh", SCRIPT.toString()).redirectErrorStream(true);
        builder.environment().put("SECRETS_ROOT", root.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
