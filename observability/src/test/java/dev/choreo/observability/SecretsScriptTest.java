package dev.choreo.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose file's one-shot secrets container (observability/secrets/generate-secrets.sh), run with the shell it
 * gets there (sh): each password generated once, random, 32 plain characters, readable by the containers' users,
 * and kept on the next run.
 */
class SecretsScriptTest {

    private static final Path SCRIPT = Repo.ROOT.resolve("observability/secrets/generate-secrets.sh");

    @Test
    void generatesEachPasswordOnceAndKeepsThemOnTheNextRun(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("choreo-db"));
        Files.createDirectories(root.resolve("choreo-admin"));
        Path[] files = {root.resolve("choreo-db/DB_PASSWORD"), root.resolve("choreo-admin/postgres-password"),
            root.resolve("choreo-admin/grafana-admin-password")};

        String firstRun = run(root);
        assertThat(firstRun).contains("generated Grafana's admin password");
        String[] first = new String[files.length];
        for (int i = 0; i < files.length; i++) {
            first[i] = Files.readString(files[i]);
            assertThat(first[i]).as("%s", files[i]).matches("[A-Za-z0-9]{32}");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files[i]))).isEqualTo("r--r--r--");
        }
        assertThat(first).as("three different passwords").doesNotHaveDuplicates();

        String secondRun = run(root);
        assertThat(secondRun).doesNotContain("generated");
        for (int i = 0; i < files.length; i++) {
            assertThat(Files.readString(files[i])).as("kept: %s", files[i]).isEqualTo(first[i]);
        }
    }

    private static String run(Path root) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("sh", SCRIPT.toString()).redirectErrorStream(true);
        builder.environment().put("SECRETS_ROOT", root.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
