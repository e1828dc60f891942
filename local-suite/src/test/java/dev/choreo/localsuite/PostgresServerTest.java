package dev.choreo.localsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's own PostgreSQL server ({@code --postgres}): a real postmaster from the installed binaries, stopped
 * the way an outage stops it (open transactions lost, connections cut) and SIGKILLed, then started again on the
 * same data and port.
 */
class PostgresServerTest {

    @TempDir
    Path runDir;
    private PostgresServer server;

    @BeforeEach
    void start() {
        assumeTrue(PostgresServer.installed(), "PostgreSQL server binaries are not installed");
        server = new PostgresServer(PostgresServer.clusterDirFor(runDir), 0, runDir.resolve("logs/postgres.log"));
        server.start();
        server.databases().create("outage_test");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.kill();
            Directories.deleteRecursively(PostgresServer.clusterDirFor(runDir));
        }
    }

    @Test
    void anOutageCutsConnectionsLosesOpenTransactionsAndKeepsCommittedOnes() throws Exception {
        try (Connection setup = server.databases().connect("outage_test"); Statement sql = setup.createStatement()) {
            sql.execute("CREATE TABLE effect (id text PRIMARY KEY)");
            sql.execute("INSERT INTO effect VALUES ('committed')");
        }
        long pid = server.pid().orElseThrow();
        Connection inFlight = server.databases().connect("outage_test");
        inFlight.setAutoCommit(false);
        inFlight.createStatement().execute("INSERT INTO effect VALUES ('in-flight')");

        server.stop();

        assertThat(server.isRunning()).isFalse();
        assertThatThrownBy(() -> inFlight.commit()).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> server.databases().connect("outage_test")).isInstanceOf(SQLException.class);

        server.start();

        assertThat(server.pid().orElseThrow()).isNotEqualTo(pid);
        assertThat(ids()).containsExactly("committed");
    }

    @Test
    void aSigkilledServerStartsAgainOnTheSameDataAndPort() throws Exception {
        String address = server.address();
        try (Connection setup = server.databases().connect("outage_test"); Statement sql = setup.createStatement()) {
            sql.execute("CREATE TABLE effect (id text PRIMARY KEY)");
            sql.execute("INSERT INTO effect VALUES ('before the kill')");
        }

        server.kill();
        assertThat(server.isRunning()).isFalse();
        assertThat(server.exitCode()).hasValue(137);

        server.start();
        assertThat(server.address()).isEqualTo(address);
        assertThat(ids()).containsExactly("before the kill");
    }

    private java.util.List<String> ids() throws SQLException {
        java.util.List<String> ids = new java.util.ArrayList<>();
        try (Connection connection = server.databases().connect("outage_test");
             ResultSet rows = connection.createStatement().executeQuery("SELECT id FROM effect ORDER BY id")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }
}
