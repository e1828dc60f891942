package dev.choreo.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chaos command's short CI run on the local H2 profile: the real launcher ({@link SupervisedSuite}), 45 s of
 * orders at 2/s while payment-service and the broker are SIGKILLed and a second shipping-service instance is
 * started and SIGKILLed; then every check must pass. {@link ChaosOnPostgresSmokeTest} is the PostgreSQL run. The
 * long version is for people: {@code java -jar load-generator-exec.jar chaos} against {@code ./run-local.sh}.
 */
class ChaosSmokeTest {

    private static final Path RUN_DIR = Path.of("target/chaos-run").toAbsolutePath();
    private static SupervisedSuite suite;

    @BeforeAll
    static void startSupervisedSuite() throws Exception {
        suite = SupervisedSuite.start(RUN_DIR);
    }

    @AfterAll
    static void stopSuite() throws Exception {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void nothingIsLostOrDoneTwiceWhenPaymentTheBrokerAndASecondInstanceAreSigkilled() throws Exception {
        ChaosRun run = ChaosRun.of("--seed", "1", "--duration", "45s", "--rate", "2",
                "--faults", "kill-payment-service,kill-kafka,scale", "--settle-timeout", "120s",
                "--run-dir", RUN_DIR.toString());

        assertThat(run.chaos.injected()).extracting(Chaos.Fault::kind).containsExactlyInAnyOrder("kill", "kill-kafka", "scale");
        assertThat(run.chaos.injected()).allSatisfy(fault -> assertThat(fault.recoverySeconds()).isPositive());
        assertThat(run.report.orders()).as("orders accepted").isGreaterThan(50);
        assertThat(run.report.checks()).hasSize(9);
        assertThat(run.report.checks()).allSatisfy(check ->
                assertThat(check.violations()).as(check.name()).isEmpty());
        assertThat(run.output).contains("violations: 0");
    }
}
