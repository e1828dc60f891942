package dev.choreo.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;

import dev.choreo.localsuite.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The chaos command's short CI run on PostgreSQL: the real launcher with {@code --postgres} (its own PostgreSQL
 * server, every service on the default profile), 75 s of orders at 2/s while the database is shut down immediately
 * (connections cut, open transactions lost) and started again, payment-service hangs (SIGSTOP) until the collector
 * must have flagged it, and order-service is SIGKILLed; then every check must pass, including that the collector
 * named payment-service while it hung.
 */
@Tag("long")
class ChaosOnPostgresSmokeTest {

    private static final Path RUN_DIR = Path.of("target/chaos-run-postgres").toAbsolutePath();
    private static SupervisedSuite suite;

    @BeforeAll
    static void startSupervisedSuiteOnPostgres() throws Exception {
        assumeTrue(PostgresServer.installed(), "PostgreSQL server binaries are not installed");
        suite = SupervisedSuite.start(RUN_DIR, "--postgres");
    }

    @AfterAll
    static void stopSuite() throws Exception {
        if (suite != null) {
            suite.close();
        }
    }

    /**
     * Seed 7 orders the faults kill, outage, pause: the pause (45 s) comes last, since a fault not begun by the end
     * of the load is skipped.
     */
    @Test
    void nothingIsLostOrDoneTwiceThroughADatabaseOutageAHungServiceAndACrash() throws Exception {
        ChaosRun run = ChaosRun.of("--seed", "7", "--duration", "75s", "--rate", "2",
                "--faults", "db-outage,pause-payment-service,kill-order-service", "--db-outage-for", "15s",
                "--settle-timeout", "150s", "--run-dir", RUN_DIR.toString());

        assertThat(run.chaos.injected()).extracting(Chaos.Fault::kind)
                .containsExactlyInAnyOrder("db-outage", "pause", "kill");
        assertThat(run.chaos.injected()).filteredOn(fault -> fault.kind().equals("pause"))
                .singleElement().satisfies(pause -> assertThat(pause.note())
                        .contains("the collector flagged").contains("STUCK on payment-service"));
        assertThat(run.report.orders()).as("orders accepted").isGreaterThan(50);
        assertThat(run.report.checks()).hasSize(9);
        assertThat(run.report.checks()).allSatisfy(check ->
                assertThat(check.violations()).as(check.name()).isEmpty());
        assertThat(run.output).contains("violations: 0");
    }
}
