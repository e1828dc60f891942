package dev.choreo.localsuite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./run-local.sh}: the whole suite on one machine without Docker. A real Kafka broker on 127.0.0.1:9092,
 * then every service jar in its own JVM with the {@code local} profile (embedded H2 under {@code .local-run/data}),
 * started together; when all are healthy it prints where to click and a curl to place an order. Ctrl-C stops it.
 */
public final class LocalSuite {

    static final int KAFKA_PORT = 9092;
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    /** The broker's group.min.session.timeout.ms: a crashed consumer's partitions wait at most this long. */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    private static final String PLACEHOLDER_SKU = "<a sku from /products>";
    private static final Pattern FLAT_OBJECT = Pattern.compile("\\{[^{}]*}");
    private static final Pattern SKU = Pattern.compile("\"sku\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern AVAILABLE = Pattern.compile("\"available\"\\s*:\\s*(\\d+)");

    private final Options options;
    private final RepoLayout repo;
    private final Console console;
    /** Start-up steps and the shutdown hook take turns, so Ctrl-C during start-up cannot orphan a process. */
    private final Object lifecycle = new Object();
    /** This run's local users' passwords, the same in every service. */
    private final LocalCredentials credentials = LocalCredentials.generate();
    private final Map<ChoreoService, JavaCommand> commands = new EnumMap<>(ChoreoService.class);
    private boolean shuttingDown;
    private KafkaBroker broker;
    /** Only with {@code --postgres}; else every service has its embedded H2 file. */
    private PostgresServer postgres;
    private SuiteLauncher launcher;
    private Supervisor supervisor;
    private ControlServer control;
    private FileChannel runDirLock;

    private LocalSuite(Options options, RepoLayout repo) {
        this.options = options;
        this.repo = repo;
        this.console = Console.forTerminal(options.serviceOutput());
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(Options.USAGE);
            return;
        }
        RepoLayout repo;
        try {
            repo = RepoLayout.locate();
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        new LocalSuite(options, repo).run();
    }

    private void run() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "choreo-shutdown"));
        long started = System.nanoTime();
        try {
            repo.requireBuilt(options.services());
            Path runDir = options.runDir() != null ? options.runDir().toAbsolutePath() : repo.localRunDir();
            lock(runDir);
            requireFreePorts();
            prepareRunDir(runDir);
            credentials.write(runDir);
            if (options.postgres()) {
                startPostgres(runDir);
            }
            startBroker(runDir);
            startServices(runDir);
            superviseAndServeControl(runDir);
            printWelcome(Duration.ofNanos(System.nanoTime() - started));
            Thread.currentThread().join(); // until Ctrl-C: the shutdown hook stops everything
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | LinkageError e) {
            // after Ctrl-C, failures of the interrupted start-up are expected (Kafka's static initialisers even
            // fail to register their shutdown hooks): the hook is stopping everything, nothing to report
            if (!isShuttingDown()) {
                console.error(e instanceof LinkageError ? e.toString() : e.getMessage());
                System.exit(1);
            }
        }
    }

    /** One launcher per checkout: a second one would wipe and re-format the Kafka data under the first. */
    private void lock(Path runDir) {
        Path lockFile = runDir.resolve("launcher.lock");
        try {
            Files.createDirectories(runDir);
            runDirLock = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (runDirLock.tryLock() == null) {
                throw new IllegalStateException("Another run-local.sh is already running from " + repo.root()
                        + " (it holds " + lockFile + "); stop it first.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock " + lockFile, e);
        }
    }

    private void requireFreePorts() {
        if (options.freePorts()) {
            return;
        }
        List<String> busy = new ArrayList<>();
        if (!FreePorts.isFree(KAFKA_PORT)) {
            busy.add(KAFKA_PORT + " (kafka)");
        }
        options.services().stream().filter(service -> !FreePorts.isFree(service.defaultPort()))
                .forEach(service -> busy.add(service.defaultPort() + " (" + service.moduleName() + ")"));
        if (!busy.isEmpty()) {
            throw new IllegalStateException("Ports already in use: " + String.join(", ", busy)
                    + ". Is another choreo run (or docker compose) still up?");
        }
    }

    /** Fresh broker and databases on every run unless asked to keep them: old H2 state without its topics lies. */
    private void prepareRunDir(Path runDir) {
        if (!options.keepData()) {
            Directories.deleteRecursively(runDir.resolve("kafka"));
            Directories.deleteRecursively(runDir.resolve("data"));
            PostgresServer.killOrphan(PostgresServer.clusterDirFor(runDir));
            Directories.deleteRecursively(PostgresServer.clusterDirFor(runDir));
        }
        Directories.deleteRecursively(runDir.resolve("logs"));
        try {
            Files.createDirectories(runDir.resolve("logs"));
            // made here: six services creating it at once race in H2 ("a file with this name already exists")
            Files.createDirectories(runDir.resolve("data"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The private PostgreSQL server of {@code --postgres}, with one database per service (kept with --keep-data). */
    private void startPostgres(Path runDir) {
        long started = System.nanoTime();
        synchronized (lifecycle) {
            requireNotShuttingDown();
            postgres = new PostgresServer(PostgresServer.clusterDirFor(runDir), 0, runDir.resolve("logs/postgres.log"));
            postgres.start();
        }
        PostgresDatabases databases = postgres.databases();
        options.services().stream().filter(ChoreoService::hasDatabase).map(LocalSuite::databaseName)
                .filter(database -> !databases.exists(database)).forEach(databases::create);
        console.serviceStatus("postgres", "UP in " + ServiceProcess.seconds(Duration.ofNanos(System.nanoTime() - started))
                + " on " + postgres.address());
    }

    static String databaseName(ChoreoService service) {
        return service.moduleName().replace('-', '_');
    }

    private void startBroker(Path runDir) {
        long started = System.nanoTime();
        synchronized (lifecycle) {
            requireNotShuttingDown();
            broker = new KafkaBroker(runDir.resolve("kafka"), options.freePorts() ? 0 : KAFKA_PORT).logTo(runDir.resolve("logs/kafka.log"));
            broker.start();
        }
        console.serviceStatus("kafka", "UP in " + ServiceProcess.seconds(Duration.ofNanos(System.nanoTime() - started))
                + " on " + broker.bootstrapServers());
    }

    private void startServices(Path runDir) {
        SuiteLauncher services = new SuiteLauncher(console, options.startupTimeout(), STOP_GRACE);
        ClassDataArchives archives = new ClassDataArchives(repo, console);
        archives.prepare(options.services(), options.jvmOptions());
        for (ChoreoService service : options.services()) {
            commands.put(service, archives.command(service, options.jvmOptions()));
            services.add(instance(service, 1, options.freePorts() ? FreePorts.pick() : service.defaultPort(), runDir));
        }
        synchronized (lifecycle) {
            requireNotShuttingDown();
            launcher = services;
        }
        console.info("Starting " + options.services().size() + " services; output also in " + runDir.resolve("logs"));
        services.startAll();
    }

    /** Instance 1 runs on the service's default port; more ({@code ctl scale}) on free ports, same consumer group. */
    private ServiceProcess instance(ChoreoService service, int instance, int port, Path runDir) {
        List<String> database = postgres != null
                ? postgresArgs(service, postgres.databases())
                : h2Args(runDir.resolve("data"));
        JavaCommand command = commands.get(service).withArgs(instanceArgs(port, broker.bootstrapServers(), database));
        return new ServiceProcess(Supervisor.instanceName(service.moduleName(), instance), port, command, runDir, console,
                credentials.environment());
    }

    /**
     * What one instance of a service is started with. Beyond port, broker and database ({@link #h2Args},
     * {@link #postgresArgs}), fast recovery after a crash: a SIGKILLed consumer never leaves its group, so the
     * rebalance that lets its restarted self (or a second instance) in waits for the dead member's session to
     * expire: 45 s by default, here the broker's minimum of 6 s. The cooperative assignor lets the other members of
     * the group keep consuming their partitions during that rebalance. (Static membership would make a restart
     * rejoin without any rebalance, but {@code group.instance.id} must differ per consumer, and a service runs
     * several listener containers in one group: that needs the messaging starter, not a launcher argument.)
     */
    static List<String> instanceArgs(int port, String bootstrapServers, List<String> databaseArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--spring.kafka.consumer.properties.session.timeout.ms=" + SESSION_TIMEOUT.toMillis(),
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=" + SESSION_TIMEOUT.dividedBy(4).toMillis(),
                "--spring.kafka.consumer.properties.partition.assignment.strategy="
                        + "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"));
        args.addAll(databaseArgs);
        return args;
    }

    /**
     * The {@code local} profile's H2 file under the run's data directory, in H2's automatic mixed mode, so a second
     * instance ({@code ctl scale}) can open the first one's database file (through the first instance's H2 server
     * while it lives, directly once it is gone).
     */
    static List<String> h2Args(Path dataDir) {
        return List.of(
                "--spring.profiles.active=local",
                "--choreo.local.data-dir=" + dataDir,
                "--spring.datasource.hikari.data-source-properties.AUTO_SERVER=TRUE");
    }

    /** The default (PostgreSQL) profile on the launcher's own server; every instance of a service shares one database. */
    static List<String> postgresArgs(ChoreoService service, PostgresDatabases databases) {
        if (!service.hasDatabase()) {
            return List.of();
        }
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + databases.jdbcUrl(databaseName(service)),
                "--spring.datasource.username=" + databases.username()));
        if (!databases.password().isEmpty()) {
            args.add("--spring.datasource.password=" + databases.password());
        }
        return args;
    }

    /** From here on a death is noticed (and repaired with --supervise), and ctl commands are served. */
    private void superviseAndServeControl(Path runDir) {
        Supervisor watching = new Supervisor(console, options.supervise());
        if (postgres != null) {
            watching.add(Supervised.server("postgres", postgres), null);
        }
        watching.add(Supervised.server("kafka", broker), null);
        for (ServiceProcess service : launcher.all()) {
            ChoreoService kind = ChoreoService.byModuleName(service.name()).orElseThrow();
            watching.add(Supervised.service(service, options.startupTimeout(), STOP_GRACE), instance ->
                    Supervised.service(instance(kind, instance, FreePorts.pick(), runDir), options.startupTimeout(),
                            STOP_GRACE));
        }
        synchronized (lifecycle) {
            requireNotShuttingDown();
            supervisor = watching;
            watching.watch();
            control = ControlServer.start(watching, options.controlPort(), runDir.resolve("control.port"),
                    credentials.operatorAuthorization());
        }
    }

    private void requireNotShuttingDown() {
        if (shuttingDown) {
            throw new IllegalStateException("Shutting down");
        }
    }

    /** True once Ctrl-C arrived, even before our hook ran: from then on the JVM refuses new shutdown hooks. */
    private boolean isShuttingDown() {
        synchronized (lifecycle) {
            if (shuttingDown) {
                return true;
            }
        }
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException jvmShuttingDown) {
            return true;
        }
    }

    private void shutdown() {
        synchronized (lifecycle) {
            shuttingDown = true;
        }
        if (launcher == null && broker == null && postgres == null) {
            return;
        }
        console.info("Stopping choreo ...");
        if (control != null) {
            control.close();
        }
        if (supervisor != null) {
            supervisor.close();
        }
        if (launcher != null) {
            launcher.close();
        }
        if (broker != null) {
            broker.stop();
        }
        if (postgres != null) {
            postgres.stop();
        }
        killLeftovers();
        console.info("Stopped.");
    }

    /** Whatever was killed, restarted or scaled on the way: no process of ours outlives the launcher. */
    static void killLeftovers() {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    private void printWelcome(Duration took) {
        if (options.freePorts()) {
            // the default ports of the box below do not apply: ctl status lists where everything runs
            console.info("choreo is up: all ready in " + ServiceProcess.seconds(took) + "; control endpoint "
                    + control.baseUrl() + "/status");
            return;
        }
        Set<ChoreoService> up = options.services();
        List<String> lines = new ArrayList<>();
        lines.add("choreo is up: all ready in " + ServiceProcess.seconds(took));
        lines.add("");
        if (up.contains(ChoreoService.ORDER)) {
            lines.add(row("Orders API", url(ChoreoService.ORDER, "/orders")));
        }
        if (up.contains(ChoreoService.INVENTORY)) {
            lines.add(row("Product catalogue", url(ChoreoService.INVENTORY, "/products")));
        }
        if (up.contains(ChoreoService.TRACING_COLLECTOR)) {
            lines.add(row("Process view", url(ChoreoService.TRACING_COLLECTOR, "/")));
        }
        lines.add(row("Kafka", broker.bootstrapServers()));
        lines.add(row("Users (-u user:pw)", "customer:" + credentials.customer()));
        lines.add(row("", "operator:" + credentials.operator()));
        lines.add(row("", "scraper:" + credentials.scraper()));
        lines.add(row("  also in", repo.root().relativize(repo.localRunDir()).resolve(LocalCredentials.FILE_NAME)
                .toString()));
        if (postgres != null) {
            lines.add(row("PostgreSQL", postgres.databases().jdbcUrl("<service>_service") + " (user postgres)"));
        }
        lines.add("");
        lines.add("Swagger UI");
        up.forEach(service -> lines.add(row("  " + service.moduleName(), url(service, "/swagger-ui.html"))));
        lines.add("Prometheus metrics");
        up.forEach(service -> lines.add(row("  " + service.moduleName(), url(service, "/actuator/prometheus"))));
        lines.add("");
        lines.add(row("Logs", repo.root().relativize(repo.localRunDir()).resolve("logs") + "/<service>.log"));
        lines.add(row("How it is", "./run-local.sh ctl health"));
        lines.add(row("Control", "./run-local.sh ctl status|kill-9|stop|start|restart|scale ..."));
        lines.add(row("  endpoint", control.baseUrl() + "/status"));
        lines.add(row("Supervision", options.supervise()
                ? "on: a broker or service that dies is restarted" : "off (--no-supervise)"));
        lines.add(row("Stop", "Ctrl-C"));
        console.info(box(lines));

        if (up.contains(ChoreoService.ORDER)) {
            String sku = up.contains(ChoreoService.INVENTORY)
                    ? sampleSku(url(ChoreoService.INVENTORY, "/products"), credentials) : PLACEHOLDER_SKU;
            console.info(sampleOrder(sku, up.contains(ChoreoService.TRACING_COLLECTOR), credentials));
        }
    }

    private static String row(String label, String value) {
        return String.format("%-22s  %s", label, value);
    }

    private static String url(ChoreoService service, String path) {
        return "http://127.0.0.1:" + service.defaultPort() + path;
    }

    static String box(List<String> lines) {
        int width = lines.stream().mapToInt(String::length).max().orElse(0);
        String border = "+" + "-".repeat(width + 2) + "+";
        StringBuilder text = new StringBuilder(border).append(System.lineSeparator());
        lines.forEach(line -> text.append("| ").append(String.format("%-" + width + "s", line)).append(" |")
                .append(System.lineSeparator()));
        return text.append(border).toString();
    }

    static String sampleOrder(String sku, boolean withCollector, LocalCredentials credentials) {
        String customer = " -u customer:" + credentials.customer();
        List<String> lines = new ArrayList<>(List.of(
                "Place an order (as the local customer, whose customer id is its name):",
                "  curl -i" + customer + " -X POST " + url(ChoreoService.ORDER, "/orders")
                        + " -H 'Content-Type: application/json' -d '"
                        + "{\"customerId\":\"customer\",\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":2}],"
                        + "\"paymentToken\":\"tok_visa\","
                        + "\"shippingAddress\":{\"name\":\"Ada Lovelace\",\"street\":\"1 Main Street\","
                        + "\"city\":\"Helsinki\",\"postalCode\":\"00100\",\"country\":\"FI\"}}'",
                "Then follow it:",
                "  curl" + customer + " " + url(ChoreoService.ORDER, "/orders/<orderId>")));
        if (withCollector) {
            lines.add("  curl -u operator:" + credentials.operator() + " "
                    + url(ChoreoService.TRACING_COLLECTOR, "/processes/<correlationId>"));
        }
        return String.join(System.lineSeparator(), lines);
    }

    /** A SKU of the running catalogue, so the sample curl works as printed (and again, and again). */
    private static String sampleSku(String productsUrl, LocalCredentials credentials) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(productsUrl)).timeout(Duration.ofSeconds(3))
                            .header("Authorization", credentials.customerAuthorization()).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? pickSku(response.body()).orElse(PLACEHOLDER_SKU) : PLACEHOLDER_SKU;
        } catch (IOException e) {
            return PLACEHOLDER_SKU;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PLACEHOLDER_SKU;
        }
    }

    /**
     * The product with the most stock, else the first SKU at all. Deliberately no JSON library on the launcher's
     * classpath: a product object is flat enough for patterns.
     */
    static Optional<String> pickSku(String productsJson) {
        String best = null;
        long bestStock = 0;
        Matcher product = FLAT_OBJECT.matcher(productsJson);
        while (product.find()) {
            Matcher sku = SKU.matcher(product.group());
            Matcher stock = AVAILABLE.matcher(product.group());
            if (sku.find() && stock.find() && Long.parseLong(stock.group(1)) > bestStock) {
                best = sku.group(1);
                bestStock = Long.parseLong(stock.group(1));
            }
        }
        if (best != null) {
            return Optional.of(best);
        }
        Matcher anySku = SKU.matcher(productsJson);
        return anySku.find() ? Optional.of(anySku.group(1)) : Optional.empty();
    }

    /** Command-line options of {@code run-local.sh}. */
    record Options(Set<ChoreoService> services, boolean keepData, Console.ServiceOutput serviceOutput, List<String> jvmOptions,
                   Duration startupTimeout, boolean supervise, int controlPort, boolean freePorts, Path runDir,
                   boolean postgres, boolean help) {

        /** Six Spring Boot JVMs share the cores while they start; on a busy 2-core machine that takes minutes. */
        static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(180);

        static final String USAGE = """
                Usage: ./run-local.sh [--rebuild] [options]
                  --keep-data                  keep Kafka data and service databases of the last run (default: fresh)
                  --verbose                    echo all service output here (default: their warnings and errors;
                                               all of it is always in .local-run/logs)
                  --quiet                      echo no service output here
                  --no-<service>               do not start that service, e.g. --no-notification-service
                  --jvm-opts="<options>"       JVM options for every service (default: %s)
                  --startup-timeout=<seconds>  how long a service may take to become healthy (default: %d)
                  --supervise / --no-supervise restart the broker or a service that dies (run-local.sh: on)
                  --control-port=<port>        port of the ctl endpoint on 127.0.0.1 (default: a free one,
                                               written to .local-run/control.port)
                  --free-ports                 Kafka and the services on free ports (ctl status lists them),
                                               for a second suite next to a run-local.sh one (tests, chaos)
                  --run-dir=<dir>              Kafka data, databases, logs, control.port (default: .local-run)
                  --postgres                   services on PostgreSQL (default profile) instead of H2: a private
                                               server from the installed binaries, on a free port (its cluster in
                                               <run-dir>/postgres); ctl stop|start|kill-9 postgres act on it
                  --rebuild                    (run-local.sh) build the jars even when they look up to date
                  --help                       this text
                """.formatted(String.join(" ", ChoreoService.DEFAULT_JVM_OPTIONS), DEFAULT_STARTUP_TIMEOUT.toSeconds());

        static Options parse(String... args) {
            Set<ChoreoService> services = EnumSet.allOf(ChoreoService.class);
            boolean keepData = false;
            Console.ServiceOutput serviceOutput = Console.ServiceOutput.PROBLEMS;
            boolean help = false;
            List<String> jvmOptions = ChoreoService.DEFAULT_JVM_OPTIONS;
            Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
            boolean supervise = false;
            int controlPort = 0;
            boolean freePorts = false;
            Path runDir = null;
            boolean postgres = false;
            for (String arg : args) {
                if (arg.equals("--free-ports")) {
                    freePorts = true;
                } else if (arg.startsWith("--run-dir=")) {
                    runDir = Path.of(arg.substring("--run-dir=".length()));
                } else if (arg.equals("--supervise")) {
                    supervise = true;
                } else if (arg.equals("--no-supervise")) {
                    supervise = false;
                } else if (arg.startsWith("--control-port=")) {
                    controlPort = (int) positiveNumber(arg.substring("--control-port=".length()));
                } else if (arg.equals("--postgres")) {
                    postgres = true;
                } else if (arg.equals("--keep-data")) {
                    keepData = true;
                } else if (arg.equals("--quiet")) {
                    serviceOutput = Console.ServiceOutput.NONE;
                } else if (arg.equals("--verbose")) {
                    serviceOutput = Console.ServiceOutput.ALL;
                } else if (arg.equals("--help") || arg.equals("-h")) {
                    help = true;
                } else if (arg.startsWith("--jvm-opts=")) {
                    jvmOptions = Arrays.stream(arg.substring("--jvm-opts=".length()).trim().split("\\s+"))
                            .filter(option -> !option.isEmpty()).toList();
                } else if (arg.startsWith("--startup-timeout=")) {
                    startupTimeout = Duration.ofSeconds(positiveNumber(arg.substring("--startup-timeout=".length())));
                } else if (arg.startsWith("--no-")) {
                    String name = arg.substring("--no-".length());
                    services.remove(ChoreoService.byModuleName(name)
                            .orElseThrow(() -> new IllegalArgumentException("No service called " + name)));
                } else {
                    throw new IllegalArgumentException("Unknown option: " + arg);
                }
            }
            return new Options(Collections.unmodifiableSet(services), keepData, serviceOutput, jvmOptions, startupTimeout,
                    supervise, controlPort, freePorts, runDir, postgres, help);
        }

        private static long positiveNumber(String text) {
            try {
                long value = Long.parseLong(text);
                if (value > 0) {
                    return value;
                }
            } catch (NumberFormatException notANumber) {
                // reported below
            }
            throw new IllegalArgumentException("Not a positive number of seconds: " + text);
        }
    }
}
