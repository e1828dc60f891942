package dev.choreo.localsuite.e2e;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.choreo.localsuite.ChoreoService;
import dev.choreo.localsuite.ClassDataArchives;
import dev.choreo.localsuite.Directories;
import dev.choreo.localsuite.Console;
import dev.choreo.localsuite.FreePorts;
import dev.choreo.localsuite.JavaCommand;
import dev.choreo.localsuite.KafkaBroker;
import dev.choreo.localsuite.LocalCredentials;
import dev.choreo.localsuite.PostgresDatabases;
import dev.choreo.localsuite.RepoLayout;
import dev.choreo.localsuite.ServiceProcess;
import dev.choreo.localsuite.SuiteLauncher;

/**
 * The whole suite, for one end-to-end test class: a real Kafka broker on a free port, a fresh PostgreSQL
 * database per service ({@code e2e_<service>_<run id>}, dropped at {@link #close()}), and every service jar in its
 * own JVM on a free port with the default (PostgreSQL) profile.
 *
 * <pre>{@code
 * try (RunningSuite suite = RunningSuite.start()) {
 *     http.post(suite.baseUrl(ChoreoService.ORDER) + "/orders", ...);
 *     suite.broker().stop();                       // Kafka away: orders are still accepted
 *     suite.stopService(ChoreoService.PAYMENT);    // a consumer away: the collector reports it
 *     suite.killService(ChoreoService.SHIPPING);   // SIGKILL; startService brings it back
 *     suite.broker().kill();                       // SIGKILL of the broker's own JVM
 * }
 * }</pre>
 *
 * Logs of a run stay in {@code local-suite/target/e2e/<run id>/logs/}; a service that fails to start throws
 * {@link dev.choreo.localsuite.ServiceStartupException} with its last log lines. Wait for outcomes with
 * Awaitility, never with sleeps.
 */
public final class RunningSuite implements AutoCloseable {

    /** Generous: on a busy 2-core CI machine six Spring Boot services can take minutes to start together. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final Path runDir;
    private final KafkaBroker broker;
    private final PostgresDatabases postgres = PostgresDatabases.fromEnvironment();
    private final Map<ChoreoService, String> databases = new EnumMap<>(ChoreoService.class);
    private final List<String> createdDatabases = new ArrayList<>();
    private final SuiteLauncher launcher;
    private final Builder settings;
    private final LocalCredentials credentials = LocalCredentials.generate();

    private RunningSuite(Builder settings) {
        this.settings = settings;
        RepoLayout repo = RepoLayout.locate();
        this.runDir = repo.root().resolve("local-suite/target/e2e").resolve(runId);
        this.broker = new KafkaBroker(runDir.resolve("kafka"), 0).logTo(runDir.resolve("logs/kafka.log"));
        Console console = new Console(System.out, false, Console.ServiceOutput.NONE);
        this.launcher = new SuiteLauncher(console, STARTUP_TIMEOUT, STOP_GRACE);
        Function<ChoreoService, JavaCommand> launch = settings.launch;
        if (launch == null) {
            repo.requireBuilt(settings.services);
            ClassDataArchives archives = new ClassDataArchives(repo, console);
            archives.prepare(settings.services, ChoreoService.DEFAULT_JVM_OPTIONS);
            launch = service -> archives.command(service, ChoreoService.DEFAULT_JVM_OPTIONS);
        }
        for (ChoreoService service : settings.services) {
            databases.put(service, "e2e_" + service.moduleName().replace('-', '_') + "_" + runId);
            int port = FreePorts.pick();
            JavaCommand command = launch.apply(service).withArgs(contractArgs(service, port));
            launcher.add(new ServiceProcess(service.moduleName(), port, command, runDir, console,
                    credentials.environment()));
        }
    }

    /** Everything, with the services' own defaults. */
    public static RunningSuite start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The local users' passwords every service of this suite was started with. */
    public LocalCredentials credentials() {
        return credentials;
    }

    public String baseUrl(ChoreoService service) {
        return process(service).baseUrl();
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The broker itself: {@code stop()} and {@code start()} it to take Kafka away and bring it back (same data). */
    public KafkaBroker broker() {
        return broker;
    }

    /** Stops the service's JVM gracefully (SIGTERM); its database and consumer group offsets stay. */
    public void stopService(ChoreoService service) {
        launcher.stop(service.moduleName());
    }

    /** SIGKILLs the service's JVM, as a crash would; {@link #startService} brings it back with the same command. */
    public void killService(ChoreoService service) {
        process(service).kill();
    }

    /** Starts a stopped service again and waits until it is healthy. */
    public void startService(ChoreoService service) {
        launcher.start(service.moduleName());
    }

    public String databaseName(ChoreoService service) {
        return requireInSuite(databases.get(service), service);
    }

    /** A connection to the service's own database, to check what it stored. */
    public Connection connect(ChoreoService service) throws SQLException {
        return postgres.connect(databaseName(service));
    }

    public Path logFile(ChoreoService service) {
        return process(service).logFile();
    }

    /** Stops services, then the broker; drops the databases and the Kafka data; keeps the logs. */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        attempt(failures, launcher::close);
        attempt(failures, broker::close);
        createdDatabases.forEach(database -> attempt(failures, () -> postgres.drop(database)));
        attempt(failures, () -> Directories.deleteRecursively(runDir.resolve("kafka")));
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    private void startEverything() {
        broker.start();
        for (String database : databases.values()) {
            postgres.create(database);
            createdDatabases.add(database);
        }
        launcher.startAll();
    }

    private List<String> contractArgs(ChoreoService service, int port) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--spring.datasource.url=" + postgres.jdbcUrl(databases.get(service)),
                "--spring.datasource.username=" + postgres.username()));
        if (!postgres.password().isEmpty()) {
            args.add("--spring.datasource.password=" + postgres.password());
        }
        if (settings.partitions > 0) {
            args.add("--choreo.messaging.partitions=" + settings.partitions);
        }
        return overriding(args, settings.extraArgs.getOrDefault(service, List.of()));
    }

    /** Spring Boot would join two values of one key with a comma, so an extra argument replaces its namesake. */
    static List<String> overriding(List<String> args, List<String> extra) {
        Map<String, String> byKey = new LinkedHashMap<>();
        Stream.concat(args.stream(), extra.stream()).forEach(arg -> byKey.put(arg.split("=", 2)[0], arg));
        return List.copyOf(byKey.values());
    }

    private ServiceProcess process(ChoreoService service) {
        requireInSuite(databases.get(service), service);
        return launcher.get(service.moduleName());
    }

    private static <T> T requireInSuite(T value, ChoreoService service) {
        if (value == null) {
            throw new IllegalArgumentException(service.moduleName() + " is not part of this suite (left out with without())");
        }
        return value;
    }

    private static void attempt(List<RuntimeException> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    /** What to run and how; {@link #start()} brings it up. */
    public static final class Builder {

        private final Set<ChoreoService> services = EnumSet.allOf(ChoreoService.class);
        private final Map<ChoreoService, List<String>> extraArgs = new EnumMap<>(ChoreoService.class);
        private int partitions;
        private Function<ChoreoService, JavaCommand> launch;

        private Builder() {
        }

        /** Leaves services out, for a test that needs only part of the flow. */
        public Builder without(ChoreoService... left) {
            services.removeAll(Arrays.asList(left));
            return this;
        }

        /** Extra {@code --key=value} arguments for one service; one with the key of a suite argument replaces it. */
        public Builder args(ChoreoService service, String... args) {
            extraArgs.computeIfAbsent(service, s -> new ArrayList<>()).addAll(Arrays.asList(args));
            return this;
        }

        /** Partition count of the topics the services create (the services default to 6). */
        public Builder partitions(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("partitions must be at least 1");
            }
            this.partitions = count;
            return this;
        }

        /** How each service is launched instead of its exec jar: the harness's own test runs stand-ins. */
        Builder launchWith(Function<ChoreoService, JavaCommand> launch) {
            this.launch = launch;
            return this;
        }

        public RunningSuite start() {
            RunningSuite suite = new RunningSuite(this);
            try {
                suite.startEverything();
                return suite;
            } catch (RuntimeException | Error e) {
                try {
                    suite.close();
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
    }
}
