package dev.choreo.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.choreo.localsuite.RepoLayout;

/**
 * The real launcher for a chaos test: {@code LocalSuite --supervise} in its own JVM, every service in its own JVM,
 * free ports, its own run dir; started and stopped as a person starts and stops {@code ./run-local.sh}.
 */
final class SupervisedSuite implements AutoCloseable {

    private final Process launcher;

    private SupervisedSuite(Process launcher) {
        this.launcher = launcher;
    }

    /** Returns once the launcher printed "choreo is up". */
    static SupervisedSuite start(Path runDir, String... extraArgs) throws Exception {
        RepoLayout repo = RepoLayout.locate();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-Dchoreo.repo.dir=" + repo.root(), "-cp", System.getProperty("java.class.path"),
                "dev.choreo.localsuite.LocalSuite", "--supervise", "--free-ports", "--quiet",
                "--run-dir=" + runDir));
        command.addAll(List.of(extraArgs));
        Process launcher = new ProcessBuilder(command).redirectErrorStream(true).start();
        SupervisedSuite suite = new SupervisedSuite(launcher);
        try {
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
            return suite;
        } catch (Throwable e) {
            suite.close();
            throw e;
        }
    }

    /** SIGTERM: the launcher's shutdown hook stops everything; whatever is left after a minute is SIGKILLed. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = launcher.toHandle().descendants().toList();
        launcher.destroy();
        if (!launcher.waitFor(60, TimeUnit.SECONDS)) {
            launcher.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
