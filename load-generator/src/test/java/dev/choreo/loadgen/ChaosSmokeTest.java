package dev.choreo.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.choreo.localsuite.RepoLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chaos command's short CI run: the real launcher ({@code LocalSuite --supervise}, its own JVM, every service in
 * its own JVM with H2, free ports, its own run dir), 45 s of orders at 2/s while payment-service and the broker are
 * SIGKILLed and a second shipping-service instance is started and SIGKILLed; then every check must pass.
 * The long version is for people: {@code java -jar load-generator-exec.jar chaos} against {@code ./run-local.sh}.
 */
class ChaosSmokeTest {

    private static Process launcher;
    private static final Path RUN_DIR = Path.of("target/chaos-run").toAbsolutePath();

    @BeforeAll
    static void startSupervisedSuite() throws Exception {
        RepoLayout repo = RepoLayout.locate();
        launcher = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-Dchoreo.repo.dir=" + repo.root(), "-cp", System.getProperty("java.class.path"),
                "dev.choreo.localsuite.LocalSuite", "--supervise", "--free-ports", "--quiet",
                "--run-dir=" + RUN_DIR))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("choreo is up")) {
            seen.append(line).append('\n');
        }
        assertThat(line).as("launcher output:%n%s", seen).startsWith("choreo is up");
        Thread drain = new Thread(() -> out.lines().forEach(System.out::println), "launcher-output");
        drain.setDaemon(true);
        drain.start();
    }

    @AfterAll
    static void stopSuite() throws Exception {
        if (launcher != null) {
            List<ProcessHandle> children = launcher.toHandle().descendants().toList();
            launcher.destroy(); // SIGTERM: the launcher's shutdown hook stops everything
            if (!launcher.waitFor(60, TimeUnit.SECONDS)) {
                launcher.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void nothingIsLostOrDoneTwiceWhenPaymentTheBrokerAndASecondInstanceAreSigkilled() throws Exception {
        Args args = Args.parse(List.of("--seed", "1", "--duration", "45s", "--rate", "2",
                "--faults", "kill-payment-service,kill-kafka,scale", "--settle-timeout", "120s",
                "--run-dir", RUN_DIR.toString()), java.util.Set.of());
        Chaos.Plan plan = Chaos.plan(args);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Chaos chaos = new Chaos(plan, new PrintStream(new TeeStream(out, System.out), true, StandardCharsets.UTF_8));

        ChaosChecks.Report report = chaos.run();

        assertThat(chaos.injected()).extracting(Chaos.Fault::kind).containsExactlyInAnyOrder("kill", "kill-kafka", "scale");
        assertThat(chaos.injected()).allSatisfy(fault -> assertThat(fault.recoverySeconds()).isPositive());
        assertThat(report.orders()).as("orders accepted").isGreaterThan(50);
        assertThat(report.checks()).hasSize(8);
        assertThat(report.checks()).allSatisfy(check ->
                assertThat(check.violations()).as(check.name()).isEmpty());
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("violations: 0");
    }

    /** Writes to two streams: the assertions read one, the surefire report shows the other. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
