package dev.choreo.messaging.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/**
 * A commit that H2 acknowledged survives a SIGKILL of its JVM with {@code WRITE_DELAY=0}, and is lost with H2's
 * default: the child JVM commits rows and prints each acknowledged one, the test kills it with SIGKILL mid-stream and
 * counts what the file kept.
 */
class H2DurabilityTest {

    @Test
    void everyAcknowledgedCommitSurvivesSigkillWithWriteDelayZero(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db") + ";MODE=PostgreSQL;" + H2Durability.WRITE_DELAY_ZERO;
        KillResult result = commitThenKill(url, 300);
        assertThat(result.rowsOnDisk()).as("rows after SIGKILL; last acknowledged %d", result.lastAcknowledged())
                .isGreaterThanOrEqualTo(result.lastAcknowledged());
    }

    @Test
    void h2sDefaultLosesAcknowledgedCommitsOnSigkill(@TempDir Path dir) throws Exception {
        // the failure the guard prevents, reproduced: the default 500 ms write delay keeps recent commits in memory
        String url = "jdbc:h2:file:" + dir.resolve("db") + ";MODE=PostgreSQL";
        KillResult result = commitThenKill(url, 300);
        assertThat(result.rowsOnDisk()).as("rows after SIGKILL; last acknowledged %d", result.lastAcknowledged())
                .isLessThan(result.lastAcknowledged());
    }

    @Test
    void refusesAnH2FileUrlWithoutWriteDelayZero() {
        var guard = new H2Durability();
        var unsafe = new MockEnvironment().withProperty("spring.datasource.url",
                "jdbc:h2:file:./data/payment;MODE=PostgreSQL");
        assertThatThrownBy(() -> guard.postProcessEnvironment(unsafe, new SpringApplication()))
                .hasMessageContaining("WRITE_DELAY=0");
        for (String safe : List.of("jdbc:h2:file:./data/payment;MODE=PostgreSQL;WRITE_DELAY=0",
                "jdbc:h2:mem:test", "jdbc:postgresql://127.0.0.1:5432/payment")) {
            guard.postProcessEnvironment(new MockEnvironment().withProperty("spring.datasource.url", safe),
                    new SpringApplication());
        }
    }

    private record KillResult(int lastAcknowledged, int rowsOnDisk) {
    }

    private static KillResult commitThenKill(String url, int atLeast) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            // closed cleanly: the table is on disk whatever the write delay
            connection.createStatement().execute("CREATE TABLE acked (n INT PRIMARY KEY)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                H2CommitWriter.class.getName(), url).redirectErrorStream(true).start();
        int lastAcknowledged = 0;
        try (var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.matches("\\d+")) {
                    lastAcknowledged = Integer.parseInt(line);
                    if (lastAcknowledged >= atLeast) {
                        // SIGKILL on Linux: no shutdown hook, no H2 close
                        child.destroyForcibly();
                        break;
                    }
                }
            }
        }
        child.waitFor();
        assertThat(lastAcknowledged).as("the writer committed rows before it was killed").isGreaterThanOrEqualTo(atLeast);
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                ResultSet count = connection.createStatement().executeQuery("SELECT count(*) FROM acked")) {
            count.next();
            return new KillResult(lastAcknowledged, count.getInt(1));
        }
    }
}
