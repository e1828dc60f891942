package dev.choreo.localsuite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's lost orders: a service SIGKILLed right after a commit forgot it on restart, because H2 writes a
 * commit to its file up to {@code WRITE_DELAY} (500 ms) later. With the settings the launcher gives every service
 * instance ({@link LocalSuite#instanceArgs}), a commit is in the file before the JVM can be killed.
 */
class H2DurabilityTest {

    private static final String PREFIX = "--spring.datasource.hikari.data-source-properties.";

    @TempDir
    Path dataDir;

    @Test
    void aCommitSurvivesASigkillRightAfterItWithTheLaunchersDatabaseSettings() throws Exception {
        // the services' local-profile URL (application-local.yml), plus the launcher's data-source properties
        String url = "jdbc:h2:file:" + dataDir.resolve("payment-service")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        List<String> settings = LocalSuite.instanceArgs(ChoreoService.PAYMENT, 1, 8083, "127.0.0.1:9092", dataDir)
                .stream().filter(arg -> arg.startsWith(PREFIX)).map(arg -> arg.substring(PREFIX.length())).toList();
        assertThat(settings).contains("WRITE_DELAY=0");

        for (int round = 1; round <= 3; round++) {
            commitAndSigkill(url, "evt-" + round, settings);
        }

        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT event_id FROM processed_event ORDER BY event_id")) {
            List<String> ids = new ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            assertThat(ids).as("every commit acknowledged before the SIGKILL")
                    .containsExactly("evt-1", "evt-2", "evt-3");
        }
    }

    private static void commitAndSigkill(String url, String eventId, List<String> settings) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), H2CommitThenWait.class.getName(), url, eventId));
        command.addAll(settings);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.equals("COMMITTED")) {
                seen.append(line).append('\n');
            }
            assertThat(line).as("child output: %s", seen).isEqualTo("COMMITTED");
            child.toHandle().destroyForcibly(); // SIGKILL right after the commit returned
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
    }
}
