package dev.choreo.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.choreo.localsuite.ChoreoService;
import dev.choreo.localsuite.ClassDataArchives;
import dev.choreo.localsuite.Directories;
import dev.choreo.localsuite.Console;
import dev.choreo.localsuite.FreePorts;
import dev.choreo.localsuite.JavaCommand;
import dev.choreo.localsuite.KafkaBroker;
import dev.choreo.localsuite.LocalCredentials;
import dev.choreo.localsuite.RepoLayout;
import dev.choreo.localsuite.ServiceProcess;
import dev.choreo.localsuite.SuiteLauncher;

/**
 * The suite as {@code ./run-local.sh} runs it — the launcher's in-process KRaft broker and one JVM per service jar
 * with the {@code local} profile and an embedded H2 database — with what a load test needs on top:
 * <ul>
 *   <li>its own run directory (fresh broker and databases), so it never touches a {@code run-local.sh} run;</li>
 *   <li>free ports on request, so it can run next to another suite (and in CI);</li>
 *   <li>inventory restocked at start (the demo catalogue has 1,000 units per product, which a benchmark sells in
 *       seconds; then every later order would be rejected instead of completing). The restock is one extra Flyway
 *       migration given to inventory-service on its command line; the service's code is unchanged;</li>
 *   <li>the pid of every JVM in the stack file, so the generator can sample their memory.</li>
 * </ul>
 */
final class BenchStack implements AutoCloseable {

    /** The JVM options {@code ./run-local.sh} and the end-to-end tests give every service by default. */
    static final List<String> RUN_LOCAL_JVM_OPTIONS = ChoreoService.DEFAULT_JVM_OPTIONS;
    static final long DEFAULT_RESTOCK = 100_000_000L;
    static final String RESTOCK_MIGRATION = "V900__load_generator_restock.sql";

    /** How to start it. */
    record Options(Path runDir, Set<ChoreoService> services, boolean freePorts, List<String> jvmOptions,
            long restockUnits, List<String> argsForAll, Map<ChoreoService, List<String>> argsByService,
            Duration startupTimeout, boolean echoServiceOutput) {

        static Options defaults(Path runDir) {
            return new Options(runDir, EnumSet.allOf(ChoreoService.class), false, RUN_LOCAL_JVM_OPTIONS,
                    DEFAULT_RESTOCK, List.of(), Map.of(), Duration.ofSeconds(180), false);
        }

        Options withServices(Set<ChoreoService> chosen) {
            return new Options(runDir, chosen, freePorts, jvmOptions, restockUnits, argsForAll, argsByService,
                    startupTimeout, echoServiceOutput);
        }

        Options withFreePorts(boolean free) {
            return new Options(runDir, services, free, jvmOptions, restockUnits, argsForAll, argsByService,
                    startupTimeout, echoServiceOutput);
        }
    }

    private final Options options;
    private final RepoLayout repo;
    private final PrintStream out;
    /** The local users' passwords of this stack, handed to every service and written to the stack file. */
    private final LocalCredentials credentials = LocalCredentials.generate();
    private KafkaBroker broker;
    private SuiteLauncher launcher;
    private StackInfo info;

    private BenchStack(Options options, RepoLayout repo, PrintStream out) {
        this.options = options;
        this.repo = repo;
        this.out = out;
    }

    /** Starts the broker and the services and returns when all are healthy; close() stops them. */
    static BenchStack start(Options options, RepoLayout repo, PrintStream out) {
        BenchStack stack = new BenchStack(options, repo, out);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    StackInfo info() {
        return info;
    }

    private void startAll() {
        repo.requireBuilt(options.services());
        Path runDir = options.runDir().toAbsolutePath();
        Directories.deleteRecursively(runDir.resolve("kafka"));
        Directories.deleteRecursively(runDir.resolve("data"));
        Directories.deleteRecursively(runDir.resolve("logs"));
        createDirectories(runDir.resolve("logs"));
        // made here: six services creating it at once race in H2 ("a file with this name already exists")
        createDirectories(runDir.resolve("data"));

        Map<ChoreoService, Integer> ports = new LinkedHashMap<>();
        List<String> busy = new ArrayList<>();
        int kafkaPort = options.freePorts() ? 0 : 9092;
        if (kafkaPort != 0 && !FreePorts.isFree(kafkaPort)) {
            busy.add(kafkaPort + " (kafka)");
        }
        for (ChoreoService service : options.services()) {
            int port = options.freePorts() ? FreePorts.pick() : service.defaultPort();
            if (!options.freePorts() && !FreePorts.isFree(port)) {
                busy.add(port + " (" + service.moduleName() + ")");
            }
            ports.put(service, port);
        }
        if (!busy.isEmpty()) {
            throw new IllegalStateException("Ports already in use: " + String.join(", ", busy)
                    + ". Stop the other suite, or pass --free-ports.");
        }

        // made before the clock starts: the first run after a build records them (about one start per service)
        Console console = new Console(out, false,
                options.echoServiceOutput() ? Console.ServiceOutput.ALL : Console.ServiceOutput.NONE);
        ClassDataArchives archives = new ClassDataArchives(repo, console);
        long preparing = System.nanoTime();
        archives.prepare(options.services(), options.jvmOptions());
        out.printf("class-data archives ready in %.1f s%n", (System.nanoTime() - preparing) / 1e9);

        long started = System.nanoTime();
        broker = new KafkaBroker(runDir.resolve("kafka"), kafkaPort).logTo(runDir.resolve("logs/kafka.log"));
        broker.start();
        out.printf("kafka                 UP in %.1f s on %s%n", (System.nanoTime() - started) / 1e9, broker.bootstrapServers());

        launcher = new SuiteLauncher(console, options.startupTimeout(), Duration.ofSeconds(20));
        Path migrations = options.restockUnits() > 0 ? writeRestockMigration(runDir) : null;
        Map<String, URI> urls = new LinkedHashMap<>();
        for (ChoreoService service : options.services()) {
            int port = ports.get(service);
            List<String> args = new ArrayList<>(List.of(
                    "--server.port=" + port,
                    "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                    "--spring.profiles.active=local",
                    "--choreo.local.data-dir=" + runDir.resolve("data")));
            if (service == ChoreoService.INVENTORY && migrations != null) {
                args.add("--spring.flyway.locations=classpath:db/migration,filesystem:" + migrations);
            }
            args.addAll(options.argsForAll());
            args.addAll(options.argsByService().getOrDefault(service, List.of()));
            JavaCommand command = archives.command(service, options.jvmOptions()).withArgs(args);
            launcher.add(new ServiceProcess(service.moduleName(), port, command, runDir, console,
                    credentials.environment()));
            urls.put(service.moduleName(), URI.create("http://127.0.0.1:" + port));
        }
        launcher.startAll();
        double readySeconds = (System.nanoTime() - started) / 1e9;
        info = new StackInfo(broker.bootstrapServers(), urls, childPids(urls.keySet()), readySeconds, credentials);
    }

    /** The pids of the service JVMs and of the broker's JVM, all children of this JVM. */
    private Map<String, Long> childPids(Set<String> names) {
        Map<String, Long> pids = new LinkedHashMap<>();
        broker.pid().ifPresent(pid -> pids.put(StackInfo.BROKER, pid));
        ProcessHandle.current().children().forEach(child -> {
            String commandLine = child.info().commandLine().orElse(String.join(" ", child.info().arguments().orElse(new String[0])));
            for (String name : names) {
                if (commandLine.contains("/" + name + "-exec.jar")) {
                    pids.put(name, child.pid());
                }
            }
        });
        return pids;
    }

    private Path writeRestockMigration(Path runDir) {
        Path dir = runDir.resolve("bench-migrations");
        createDirectories(dir);
        String sql = """
                -- Written by the load generator's bench stack (not part of inventory-service): restocks every product
                -- that has some stock, so a benchmark's completed orders do not run the catalogue dry.
                UPDATE stock SET stocked = stocked + %d, available = available + %d WHERE stocked >= 100;
                """.formatted(options.restockUnits(), options.restockUnits());
        try {
            Files.writeString(dir.resolve(RESTOCK_MIGRATION), sql, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    @Override
    public synchronized void close() {
        if (launcher != null) {
            launcher.close();
            launcher = null;
        }
        if (broker != null) {
            broker.stop();
            broker = null;
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
