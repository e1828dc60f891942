package dev.choreo.localsuite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the launcher's own ({@code run-local.sh --postgres}), from the installed binaries
 * ({@code /usr/lib/postgresql/<version>/bin}), on a loopback port, with its cluster under the run directory. The
 * launcher may stop it, crash it and start it again (the chaos command's database outage); the shared server on
 * 5432 is never touched.
 *
 * <p>The postmaster is the launcher's direct child (no {@code pg_ctl} daemon), so its pid is what {@code ctl
 * status} shows and SIGKILL reaches. It is started through {@code setpriv}: as root to run as the {@code postgres}
 * user ({@code initdb} and {@code postgres} refuse root), and always with a parent-death signal, so a SIGKILLed
 * launcher leaves no database server behind. That signal fires when the <em>thread</em> that forked the child
 * ends, hence every start runs on one thread that lives as long as the launcher.
 *
 * <p>{@link #stop()} is PostgreSQL's immediate shutdown (SIGQUIT): every connection is cut, open transactions are
 * lost, and the next start runs crash recovery, which is what a database outage looks like to the services.
 * {@code fsync} is off: the machine does not crash in our faults, only processes do, and the page cache survives
 * those.
 */
public final class PostgresServer implements LocalServer {

    public static final String USER = "postgres";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** Forks every postmaster: the parent-death signal is bound to the forking thread, which must outlive it. */
    private static final ExecutorService SPAWNER = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "postgres-spawner");
        thread.setDaemon(true);
        return thread;
    });

    private final Path clusterDir;
    private final Path logFile;
    private final int port;
    private final Path bin;
    private volatile Process process;

    /**
     * @param clusterDir where the cluster lives (initialised on first start, reused after)
     * @param port       0 picks a free one, kept for later restarts
     */
    public PostgresServer(Path clusterDir, int port, Path logFile) {
        this.clusterDir = clusterDir.toAbsolutePath();
        this.port = port == 0 ? FreePorts.pick() : port;
        this.logFile = logFile.toAbsolutePath();
        this.bin = binaries();
    }

    /**
     * Where the cluster of a run directory lives: {@code <runDir>/postgres}; as root, a directory of the
     * {@code postgres} user's under the system's temporary directory, named after the run directory (so
     * {@code --keep-data} finds it again), because that user may not be able to reach into root's directories.
     */
    public static Path clusterDirFor(Path runDir) {
        Path absolute = runDir.toAbsolutePath().normalize();
        if (!isRoot()) {
            return absolute.resolve("postgres");
        }
        return Path.of(System.getProperty("java.io.tmpdir"),
                "choreo-postgres-" + Integer.toHexString(absolute.toString().hashCode()));
    }

    /** True if this machine has the PostgreSQL server binaries ({@code apt-get install postgresql}). */
    public static boolean installed() {
        try {
            binaries();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    @Override
    public String address() {
        return "127.0.0.1:" + port;
    }

    public PostgresDatabases databases() {
        return new PostgresDatabases(address(), USER, "");
    }

    /** Initialises the cluster if needed, launches the postmaster and returns once it accepts connections. */
    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        Path data = clusterDir.resolve("data");
        try {
            Files.createDirectories(logFile.getParent());
            if (!Files.exists(data.resolve("PG_VERSION"))) {
                initialise(data);
            }
            killOrphan(clusterDir);
            process = SPAWNER.submit(() -> new ProcessBuilder(asPostgres(List.of(
                            bin.resolve("postgres").toString(), "-D", data.toString(), "-p", String.valueOf(port),
                            "-k", clusterDir.toString(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                            "-c", "max_connections=300")))
                    .redirectErrorStream(true).redirectOutput(Redirect.appendTo(logFile.toFile())).start())
                    .get();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start PostgreSQL in " + clusterDir, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot start PostgreSQL in " + clusterDir + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
        awaitAcceptingConnections();
    }

    /** Immediate shutdown (SIGQUIT): connections cut, open transactions lost, crash recovery at the next start. */
    @Override
    public void stop() {
        signalAndWait("QUIT", STOP_TIMEOUT);
    }

    /** SIGKILL of the postmaster; its backends notice and exit, and the next start recovers. */
    @Override
    public void kill() {
        Process current = process;
        if (current != null && current.isAlive()) {
            current.destroyForcibly();
            waitFor(current, STOP_TIMEOUT);
        }
    }

    @Override
    public boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive();
    }

    @Override
    public OptionalLong pid() {
        Process current = process;
        return current != null && current.isAlive() ? OptionalLong.of(current.pid()) : OptionalLong.empty();
    }

    @Override
    public OptionalLong exitCode() {
        Process current = process;
        return current == null || current.isAlive() ? OptionalLong.empty() : OptionalLong.of(current.exitValue());
    }

    private void signalAndWait(String signal, Duration timeout) {
        Process current = process;
        if (current == null || !current.isAlive()) {
            return;
        }
        run(List.of("kill", "-" + signal, String.valueOf(current.pid())));
        if (!waitFor(current, timeout)) {
            current.destroyForcibly();
            waitFor(current, timeout);
        }
    }

    private void initialise(Path data) throws IOException {
        Files.createDirectories(clusterDir);
        if (isRoot()) {
            run(List.of("chown", "-R", USER, clusterDir.toString()));
        }
        run(asPostgres(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
                "--auth=trust", "--no-sync", "--encoding=UTF8")));
    }

    /** A postmaster left by a launcher that could not stop it (its pid file is still there): killed first. */
    static void killOrphan(Path clusterDir) {
        Path pidFile = clusterDir.resolve("data/postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try (Stream<String> lines = Files.lines(pidFile)) {
            lines.findFirst().map(String::trim).filter(line -> line.matches("\\d+")).map(Long::parseLong)
                    .flatMap(ProcessHandle::of)
                    .filter(handle -> handle.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                    .ifPresent(orphan -> {
                        orphan.destroyForcibly();
                        orphan.onExit().orTimeout(30, TimeUnit.SECONDS).join();
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + pidFile, e);
        }
    }

    private void awaitAcceptingConnections() {
        PostgresDatabases databases = databases();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!isRunning()) {
                throw new IllegalStateException("PostgreSQL exited during start-up (" + exitCode() + "); see " + logFile);
            }
            try (Connection ignored = databases.connect("postgres")) {
                return;
            } catch (SQLException e) {
                last = e; // starting up, or recovering after a crash
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted", e);
            }
        }
        throw new IllegalStateException("PostgreSQL did not accept connections within " + START_TIMEOUT.toSeconds()
                + " s: " + (last == null ? "" : last.getMessage()) + "; see " + logFile);
    }

    /** Through setpriv: the parent-death signal always, the postgres user when we are root. */
    private static List<String> asPostgres(List<String> command) {
        List<String> full = new ArrayList<>(List.of("setpriv", "--pdeathsig=KILL"));
        if (isRoot()) {
            full.addAll(List.of("--reuid=" + USER, "--regid=" + USER, "--init-groups"));
        }
        full.addAll(command);
        return full;
    }

    private void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(logFile.toFile())).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out: " + String.join(" ", command));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("Failed (exit " + process.exitValue() + "): " + String.join(" ", command)
                        + "; see " + logFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("No PostgreSQL server binaries under " + root
                    + " (Debian/Ubuntu: apt-get install postgresql)");
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(dir -> Files.isExecutable(dir.resolve("postgres")))
                    .max(Comparator.comparing(dir -> Integer.parseInt(dir.getParent().getFileName().toString()
                            .replaceAll("\\D", "0"))))
                    .orElseThrow(() -> new IllegalStateException("No PostgreSQL server binaries under " + root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
