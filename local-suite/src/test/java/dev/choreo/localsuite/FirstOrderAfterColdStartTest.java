package dev.choreo.localsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The first five minutes: {@code ./run-local.sh} cold-starts the suite, prints "choreo is up" and a curl that places
 * an order, and a newcomer runs that curl at once. It must be accepted (201) and the order must complete within
 * seconds. It once got {@code 422 unknown SKU}: order-service reported ready before its catalogue replica had read
 * the catalogue, and the launcher believed it.
 *
 * <p>The launcher runs as run-local.sh runs it (its own JVM, supervising, fresh Kafka data and databases), except on
 * free ports ({@code --free-ports}), so that the test also runs next to a developer's own run-local.sh. In that mode
 * the launcher prints no sample order (it would name the default ports), so the moment it prints "choreo is up" the
 * test makes the very sample it prints, with the launcher's own code: {@link LocalSuite#sampleOrder} for the SKU
 * {@link LocalSuite#pickSku} picks from the live catalogue, sent to where order-service runs.
 *
 * <p>The console is the other half of a first impression: up to "choreo is up" it must stay under 40 lines, and
 * still carry every warning or error any service logged.
 *
 * <p>The failure was a race, so the cold start is repeated: {@code -Dchoreo.test.cold-starts=N}, 2 by default.
 */
class FirstOrderAfterColdStartTest {

    private static final int COLD_STARTS = Integer.getInteger("choreo.test.cold-starts", 2);
    /** Six services starting together on two busy cores, plus the class-data archives after a fresh build. */
    private static final Duration SUITE_STARTUP = Duration.ofMinutes(5);
    private static final Duration ORDER_COMPLETION = Duration.ofSeconds(30);
    private static final Pattern CONTROL_ENDPOINT = Pattern.compile("choreo is up: .* control endpoint (\\S+)/status");
    private static final Pattern SAMPLE_ORDER =
            Pattern.compile("curl -i -u (customer:\\S+) -X POST \\S+/orders -H 'Content-Type: application/json' -d '(.+)'");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path runDirs;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The run's local users, from the file the launcher writes before it starts the services. */
    private LocalCredentials credentials;

    @TestFactory
    Stream<DynamicTest> theSampleOrderPrintedWithChoreoIsUpIsAcceptedAtOnceAndCompletes() {
        return IntStream.rangeClosed(1, COLD_STARTS).mapToObj(round -> DynamicTest.dynamicTest("cold start " + round,
                () -> coldStartAndPlaceTheSampleOrder(runDirs.resolve("run-" + round))));
    }

    private void coldStartAndPlaceTheSampleOrder(Path runDir) throws Exception {
        Launcher launcher = Launcher.start(runDir);
        try {
            Matcher up = CONTROL_ENDPOINT.matcher(launcher.awaitLine(line -> line.contains("choreo is up")));
            credentials = LocalCredentials.read(runDir);
            assertThat(up.find()).as("the control endpoint in the 'choreo is up' line").isTrue();
            assertThat(launcher.seen().stream().takeWhile(line -> !line.contains("choreo is up")))
                    .as("the console of a cold start up to 'choreo is up'").hasSizeLessThan(40);
            String status = get(up.group(1) + "/status").body();
            String orders = address(status, ChoreoService.ORDER) + "/orders";
            String sku = LocalSuite.pickSku(get(address(status, ChoreoService.INVENTORY) + "/products").body())
                    .orElseThrow();
            Matcher curl = SAMPLE_ORDER.matcher(LocalSuite.sampleOrder(sku, false, credentials));
            assertThat(curl.find()).as("the launcher's sample order").isTrue();

            HttpResponse<String> placed = post(orders, curl.group(1), curl.group(2));

            assertThat(placed.statusCode()).as("the sample order for %s right after 'choreo is up': %s", sku,
                    placed.body()).isEqualTo(201);
            String order = orders + "/" + JSON.readTree(placed.body()).get("orderId").asString();
            await().atMost(ORDER_COMPLETION).untilAsserted(() -> assertThat(
                    JSON.readTree(get(order).body()).path("status").asString()).isEqualTo("COMPLETED"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(launcher.seen())
                    .as("the console holds every warning and error of the services' logs")
                    .containsAll(consoleLinesOfProblems(runDir, launcher.seen())));
        } finally {
            launcher.stop();
        }
    }

    /**
     * Every WARN or ERROR line of every service's log, as the console shows it ({@code service | line}); a line
     * that is not on the console comes back as it is in the log, so the assertion names it.
     */
    private static java.util.List<String> consoleLinesOfProblems(Path runDir, java.util.List<String> console)
            throws IOException {
        Pattern problem = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\S+\\s+(WARN|ERROR)\\s");
        java.util.List<String> expected = new java.util.ArrayList<>();
        for (ChoreoService service : ChoreoService.values()) {
            Path log = runDir.resolve("logs").resolve(service.moduleName() + ".log");
            if (!java.nio.file.Files.exists(log)) {
                continue;
            }
            for (String line : java.nio.file.Files.readAllLines(log)) {
                if (problem.matcher(line).find()) {
                    expected.add(console.stream().filter(shown -> shown.endsWith(" | " + line)).findFirst()
                            .orElse(line));
                }
            }
        }
        return expected;
    }

    /** Where the control endpoint's status says the service runs: {@code NAME STATE PID ADDRESS RESTARTS}. */
    private static String address(String status, ChoreoService service) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(service.moduleName()) + "\\s+\\S+\\s+\\S+\\s+(\\S+)")
                .matcher(status);
        assertThat(line.find()).as("%s in the launcher's status:%n%s", service.moduleName(), status).isTrue();
        return line.group(1);
    }

    private HttpResponse<String> post(String url, String userAndPassword, String json)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        userAndPassword.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", credentials.operatorAuthorization()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code run-local.sh}'s launcher JVM, its output read line by line as a person watches it. */
    private static final class Launcher {

        private static final int TAIL_LINES = 40;

        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Deque<String> tail = new ArrayDeque<>();
        private final java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        private Launcher(Process process) {
            this.process = process;
            Thread pump = new Thread(this::pump, "launcher-output");
            pump.setDaemon(true);
            pump.start();
        }

        /** The command line of run-local.sh's last line (on free ports), with the test's classpath. */
        static Launcher start(Path runDir) throws IOException {
            return new Launcher(new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-XX:+UseSerialGC",
                    "-D" + RepoLayout.ROOT_PROPERTY + "=" + RepoLayout.locate().root(),
                    "-cp", System.getProperty("java.class.path"),
                    LocalSuite.class.getName(), "--supervise", "--free-ports", "--run-dir=" + runDir)
                    .redirectErrorStream(true).start());
        }

        /** The next line {@code wanted} accepts; fails with the launcher's last lines if it exits or is too slow. */
        String awaitLine(Predicate<String> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + SUITE_STARTUP.toNanos();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null) {
                    remember(line);
                    if (wanted.test(line)) {
                        return line;
                    }
                } else if (!process.isAlive() && lines.isEmpty()) {
                    throw new AssertionError("the launcher exited with " + process.exitValue() + "; its last lines:\n"
                            + String.join("\n", tail));
                }
            }
            throw new AssertionError("the launcher did not print the line within " + SUITE_STARTUP
                    + "; its last lines:\n" + String.join("\n", tail));
        }

        /** Every line the launcher printed so far. */
        java.util.List<String> seen() {
            return java.util.List.copyOf(seen);
        }

        /** Ctrl-C, as a person stops it: the launcher's shutdown hook stops the services and the broker. */
        void stop() throws InterruptedException {
            process.toHandle().destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }

        private void pump() {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    System.out.println(line); // into the test's report, for a failure in CI
                    seen.add(line);
                    lines.add(line);
                }
            } catch (IOException launcherGone) {
                // its output ends with it; awaitLine reports the exit
            }
        }

        private void remember(String line) {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }
    }
}
