package dev.choreo.localsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceProcessTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path runDir;

    private final ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
    private final Console console = new Console(new PrintStream(consoleBytes, true, StandardCharsets.UTF_8), false, Console.ServiceOutput.ALL);

    @Test
    void startsAServiceWaitsUntilHealthyAndStopsIt() throws Exception {
        int port = FreePorts.pick();
        ServiceProcess service = new ServiceProcess("stand-in-service", port,
                StandIns.command().withArgs(List.of("--server.port=" + port)), runDir, console);

        service.start();
        Duration took = service.awaitHealthy(TIMEOUT);

        assertThat(took).isPositive();
        assertThat(get(service.baseUrl() + "/actuator/health")).isEqualTo("{\"status\":\"UP\"}");
        assertThat(service.logFile()).isEqualTo(runDir.resolve("logs/stand-in-service.log"));
        assertThat(Files.readString(service.logFile())).contains("stand-in listening on port " + port);
        assertThat(console()).contains("stand-in-service     | stand-in listening on port " + port);

        service.stop(Duration.ofSeconds(5));

        assertThat(service.isAlive()).isFalse();
        assertThat(FreePorts.isFree(port)).isTrue();
        assertThat(Files.readString(service.logFile())).as("what it logs while stopping is kept")
                .contains("stand-in shutting down");
        assertThat(console()).doesNotContain("stopped unexpectedly").doesNotContain("no longer copied");
    }

    @Test
    void waitsForTheReadinessProbeNotJustForTheServiceToAnswerAndSaysWhatItLastHeard() throws Exception {
        int port = FreePorts.pick();
        Path readyFlag = runDir.resolve("caught-up");
        ServiceProcess service = new ServiceProcess("order-service", port, StandIns.command().withArgs(List.of(
                "--server.port=" + port, "--stand-in.ready-when=" + readyFlag)), runDir, console);
        service.start();
        try {
            assertThatThrownBy(() -> service.awaitHealthy(Duration.ofSeconds(3)))
                    .isInstanceOf(ServiceStartupException.class)
                    .hasMessageContaining("not ready at " + service.baseUrl() + "/actuator/health/readiness")
                    .hasMessageContaining("last answer: 503 {\"status\":\"OUT_OF_SERVICE\",\"details\":\"waiting for "
                            + readyFlag);
            assertThat(get(service.baseUrl() + "/actuator/health")).as("its health meanwhile").contains("UP");
            assertThat(service.isHealthy()).isFalse();

            Files.createFile(readyFlag);

            assertThat(service.awaitHealthy(TIMEOUT)).isPositive();
            assertThat(service.isHealthy()).isTrue();
        } finally {
            service.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void reportsWhichServiceDiedDuringStartUpWhereItsLogIsAndHowItEnds() {
        int port = FreePorts.pick();
        ServiceProcess service = new ServiceProcess("payment-service", port,
                StandIns.command().withArgs(List.of("--server.port=" + port, "--stand-in.fail-on-start=3")),
                runDir, console);

        service.start();

        assertThatThrownBy(() -> service.awaitHealthy(TIMEOUT))
                .isInstanceOfSatisfying(ServiceStartupException.class, e -> {
                    assertThat(e.service()).isEqualTo("payment-service");
                    assertThat(e.logFile()).isEqualTo(runDir.resolve("logs/payment-service.log"));
                })
                .hasMessageContaining("payment-service failed to start: exited with code 3")
                .hasMessageContaining("log: " + runDir.resolve("logs/payment-service.log"))
                .hasMessageContaining("| APPLICATION FAILED TO START: port already in use (simulated)");
        assertThat(service.isAlive()).isFalse();
    }

    @Test
    void launcherStartsServicesTogetherReportsEachOneUpAndStopsThemAll() {
        int first = FreePorts.pick();
        int second = FreePorts.pick();
        SuiteLauncher launcher = new SuiteLauncher(console, TIMEOUT, Duration.ofSeconds(5))
                .add(new ServiceProcess("order-service", first,
                        StandIns.command().withArgs(List.of("--server.port=" + first)), runDir, console))
                .add(new ServiceProcess("inventory-service", second,
                        StandIns.command().withArgs(List.of("--server.port=" + second)), runDir, console));

        try (launcher) {
            launcher.startAll();

            assertThat(console()).containsPattern("order-service +UP in \\d+\\.\\d s")
                    .containsPattern("inventory-service +UP in \\d+\\.\\d s");
            assertThat(launcher.all()).allMatch(ServiceProcess::isAlive);
        }
        assertThat(launcher.all()).noneMatch(ServiceProcess::isAlive);
    }

    @Test
    void launcherStopsTheOthersWhenOneServiceFailsToStart() {
        int healthy = FreePorts.pick();
        int failing = FreePorts.pick();
        SuiteLauncher launcher = new SuiteLauncher(console, TIMEOUT, Duration.ofSeconds(5))
                .add(new ServiceProcess("order-service", healthy,
                        StandIns.command().withArgs(List.of("--server.port=" + healthy)), runDir, console))
                .add(new ServiceProcess("shipping-service", failing,
                        StandIns.command().withArgs(List.of("--server.port=" + failing, "--stand-in.fail-on-start=1")),
                        runDir, console));

        assertThatThrownBy(launcher::startAll)
                .isInstanceOf(ServiceStartupException.class)
                .hasMessageStartingWith("shipping-service failed to start: exited with code 1");
        assertThat(launcher.all()).noneMatch(ServiceProcess::isAlive);
    }

    private String console() {
        return consoleBytes.toString(StandardCharsets.UTF_8);
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
