package dev.choreo.localsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SIGKILLed launcher runs no shutdown hook: its broker and service JVMs must still go (they watch it), and so must
 * its PostgreSQL server (a parent-death signal).
 */
class LauncherDeathTest {

    @TempDir
    Path runDir;

    @Test
    void childJvmsDieWithinSecondsOfTheLauncherBeingSigkilled() throws Exception {
        Process launcher = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), OrphanCheckLauncher.class.getName(), runDir.toString()))
                .redirectErrorStream(true).start();
        List<ProcessHandle> children;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.equals("READY")) {
                seen.append(line).append('\n');
            }
            assertThat(line).as("launcher output: %s", seen).isEqualTo("READY");
            children = launcher.toHandle().children().toList();
            boolean withPostgres = PostgresServer.installed();
            assertThat(children).as("broker + two services (+ postgres)").hasSize(withPostgres ? 4 : 3)
                    .allMatch(ProcessHandle::isAlive);
            assertThat(children).anyMatch(child -> commandLine(child).contains(KafkaBrokerMain.class.getName()));
            if (withPostgres) {
                assertThat(children).anyMatch(child -> commandLine(child).contains("bin/postgres -D"));
            }

            launcher.toHandle().destroyForcibly(); // SIGKILL
            assertThat(launcher.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(launcher.exitValue()).isEqualTo(137);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(children).noneMatch(ProcessHandle::isAlive));
        } finally {
            launcher.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
            Directories.deleteRecursively(PostgresServer.clusterDirFor(runDir));
        }
    }

    /** From /proc: {@code ProcessHandle.Info} leaves out command lines as long as a Maven test classpath. */
    static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(process.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
