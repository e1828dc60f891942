package dev.choreo.localsuite;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One service in its own JVM. Its stdout and stderr go, line by line, to {@code <run-dir>/logs/<name>.log} and to
 * the combined {@link Console}; it is up once its Spring Boot readiness probe ({@code /actuator/health/readiness})
 * reports UP: once it can do its job (its topics have leaders, its consumers hold partitions, order-service has read
 * the catalogue), not merely once Spring has started.
 *
 * <p>It can be stopped and started again (the log file is appended to), which the end-to-end tests use to take a
 * service away while the others keep working.
 */
public final class ServiceProcess {

    private static final int TAIL_LINES = 25;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final Pattern STATUS_UP = Pattern.compile("\"status\"\\s*:\\s*\"UP\"");
    /** Enough of a readiness answer to show what a service that does not get ready waits for. */
    private static final int ANSWER_SHOWN = 600;

    private final String name;
    private final int port;
    private final JavaCommand command;
    private final Path workDir;
    private final Path logFile;
    private final Console console;
    private final Map<String, String> environment;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Deque<String> tail = new ArrayDeque<>();

    private volatile Process process;
    private volatile Thread outputPump;
    private volatile boolean healthy;
    private volatile boolean stopping;
    private volatile long startedAtNanos;
    private volatile String lastAnswer = "no answer";

    /**
     * @param runDir the working directory of the process; its log goes to {@code runDir/logs/<name>.log}
     */
    public ServiceProcess(String name, int port, JavaCommand command, Path runDir, Console console) {
        this(name, port, command, runDir, console, Map.of());
    }

    /** @param environment added to the launcher's own for the process: secrets, which a command line would show */
    public ServiceProcess(String name, int port, JavaCommand command, Path runDir, Console console,
            Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        this.name = name;
        this.port = port;
        this.command = command;
        this.workDir = runDir.toAbsolutePath();
        this.logFile = workDir.resolve("logs").resolve(name + ".log");
        this.console = console;
    }

    public synchronized void start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        healthy = false;
        stopping = false;
        synchronized (tail) {
            tail.clear();
        }
        Process started;
        try {
            Files.createDirectories(logFile.getParent());
            startedAtNanos = System.nanoTime();
            ProcessBuilder builder = new ProcessBuilder(commandLine())
                    .directory(workDir.toFile())
                    .redirectErrorStream(true);
            builder.environment().putAll(environment);
            started = builder.start();
            started.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot launch " + name + ": " + command.commandLine(), e);
        }
        process = started;
        Thread pump = new Thread(() -> copyOutput(started), name + "-output");
        pump.setDaemon(true);
        pump.start();
        outputPump = pump;
    }

    /**
     * Polls the readiness probe until it reports UP.
     *
     * @return how long the service took from launch to ready
     * @throws ServiceStartupException if the process exits first or the timeout passes
     */
    public Duration awaitHealthy(Duration timeout) {
        Process running = process;
        if (running == null) {
            throw new IllegalStateException(name + " was not started");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        lastAnswer = "no answer";
        try {
            while (true) {
                if (!running.isAlive()) {
                    awaitOutputCopied();
                    throw failure("exited with code " + running.exitValue() + " after " + seconds(sinceStart()));
                }
                if (healthUp()) {
                    healthy = true;
                    return sinceStart();
                }
                if (System.nanoTime() > deadline) {
                    throw failure("not ready at " + healthUrl() + " after " + seconds(timeout) + "; last answer: "
                            + lastAnswer);
                }
                // returns at once if the process dies, so a crash is reported without waiting a full interval
                running.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while waiting for it");
        }
    }

    /**
     * Graceful stop (SIGTERM, so Spring Boot shuts down cleanly); the caller waits with {@link #awaitStopped}.
     * Through the {@link ProcessHandle}: {@code Process.destroy()} would also close our end of the output pipe and
     * lose what the service logs while it shuts down.
     */
    public void signalStop() {
        Process running = process;
        if (running != null && running.isAlive()) {
            stopping = true;
            running.toHandle().destroy();
        }
    }

    /** Waits up to {@code grace} for a stop, then kills the process. */
    public void awaitStopped(Duration grace) {
        Process running = process;
        if (running == null) {
            return;
        }
        stopping = true;
        try {
            if (!running.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                console.serviceStatus(name, "did not stop within " + seconds(grace) + ", killing it");
                running.toHandle().destroyForcibly();
                running.waitFor(5, TimeUnit.SECONDS);
            }
            awaitOutputCopied();
        } catch (InterruptedException e) {
            running.toHandle().destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    public void stop(Duration grace) {
        signalStop();
        awaitStopped(grace);
    }

    /** SIGKILL, as a crash would: no shutdown hook, no graceful anything. Returns once the process is gone. */
    public void kill() {
        Process running = process;
        if (running == null || !running.isAlive()) {
            return;
        }
        stopping = true;
        running.toHandle().destroyForcibly();
        try {
            running.waitFor(10, TimeUnit.SECONDS);
            awaitOutputCopied();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command line it is launched with: the service's command plus the parent watch (dies with us). */
    public List<String> commandLine() {
        List<String> line = new ArrayList<>(command.commandLine());
        line.addAll(1, ParentWatchAgent.jvmOptions());
        return line;
    }

    public JavaCommand command() {
        return command;
    }

    public OptionalLong pid() {
        Process running = process;
        return running != null && running.isAlive() ? OptionalLong.of(running.pid()) : OptionalLong.empty();
    }

    /** The exit code of the last run, once it has ended. */
    public OptionalLong exitCode() {
        Process running = process;
        return running != null && !running.isAlive() ? OptionalLong.of(running.exitValue()) : OptionalLong.empty();
    }

    /** Whether it was ready since its last start (false again after a stop or a death). */
    public boolean isHealthy() {
        return healthy && isAlive();
    }

    public boolean isAlive() {
        Process running = process;
        return running != null && running.isAlive();
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The readiness probe, the health group that is UP once the service can do its job. */
    public String healthUrl() {
        return baseUrl() + "/actuator/health/readiness";
    }

    public Path logFile() {
        return logFile;
    }

    private boolean healthUp() throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(healthUrl())).timeout(Duration.ofSeconds(2)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            lastAnswer = response.statusCode() + " " + (body.length() > ANSWER_SHOWN
                    ? body.substring(0, ANSWER_SHOWN) + "..." : body);
            return response.statusCode() == 200 && STATUS_UP.matcher(body).find();
        } catch (IOException notListeningYet) {
            lastAnswer = "not listening yet (" + notListeningYet + ")";
            return false;
        }
    }

    private void copyOutput(Process source) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(source.getInputStream(), StandardCharsets.UTF_8));
             BufferedWriter log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                log.write(line);
                log.newLine();
                if (!in.ready()) {
                    log.flush(); // flush when caught up: the file stays current without a syscall per line
                }
                remember(line);
                console.serviceOutput(name, line);
            }
        } catch (IOException e) {
            if (!stopping) {
                console.error(name + ": output no longer copied to " + logFile + ": " + e.getMessage());
            }
        }
        if (healthy && !stopping) {
            console.error(name + " stopped unexpectedly (exit code " + exitCode(source) + "), see " + logFile);
        }
    }

    private void remember(String line) {
        synchronized (tail) {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }
    }

    private void awaitOutputCopied() throws InterruptedException {
        Thread pump = outputPump;
        if (pump != null) {
            pump.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    private ServiceStartupException failure(String reason) {
        List<String> lastLines;
        synchronized (tail) {
            lastLines = List.copyOf(tail);
        }
        return new ServiceStartupException(name, reason, logFile, lastLines);
    }

    private Duration sinceStart() {
        return Duration.ofNanos(System.nanoTime() - startedAtNanos);
    }

    private static String exitCode(Process source) {
        try {
            return String.valueOf(source.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }
}
