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
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.choreo.events.EventJson;
import dev.choreo.localsuite.ChoreoService;
import dev.choreo.localsuite.LocalCredentials;
import dev.choreo.localsuite.RepoLayout;

/**
 * {@code java -jar load-generator/target/load-generator-exec.jar <command> [options]}; see {@link #USAGE}.
 */
public final class Main {

    static final String USAGE = """
            Usage: java -jar load-generator/target/load-generator-exec.jar <command> [options]

            Commands
              load     place orders against a running suite and report (the default command)
              bench    the benchmark: warm-up, fixed rate, as fast as it goes, the ceiling, the targets
              ceiling  only the ceiling: a bare relay chain of plain Kafka clients on a broker
              stack    start the suite for a load test (broker + one JVM per service), until stopped
              chaos    load with faults injected through a supervised ./run-local.sh's control endpoint, then
                       check nothing was lost or done twice (exit 1 on any violation)
              demo     something to look at: orders at 1/s with the usual outcomes against ./run-local.sh
                       and, 20 s in and every --stall-every (3m), a step service hung until the collector
                       flags it; until Ctrl-C or the suite stops (--rate, --mix, --duration, --seed too)

            Where the suite is (load, bench)
              --stack FILE            the stack file written by `stack` (URLs, broker, pids); otherwise:
              --order-url URL         default http://127.0.0.1:8081
              --inventory-url URL     default http://127.0.0.1:8082
              --collector-url URL     default http://127.0.0.1:8086 (asked for STUCK processes; optional)
              --bootstrap HOST:PORT   Kafka, default 127.0.0.1:9092

            Load (load, bench)
              --rate N                orders per second (load: 100; bench: 100)
              --max                   (load) as fast as the suite takes them instead of a fixed rate
              --duration 60s          length of the phase (load: 30s; bench: 60s); or
              --count N               (load) this many orders
              --max-duration 60s      (bench) length of the as-fast-as-it-goes phase; 0 skips it
              --warmup 60s            load first, not measured (load: 0s; bench: 60s)
              --warmup-rate N|max     pace of the warm-up (bench: max; load: the phase's)
              --catch-up-timeout 300s before each measured phase and the ceiling, wait until the suite's
                                      consumer groups have no lag (an overloaded warm-up leaves a backlog)
              --mix SPEC              outcome weights, default %s
              --max-in-flight 256     POSTs awaiting their response at most
              --max-open 2000         orders placed but not ended at most (bounds the as-fast-as-it-goes phases)
              --drain-timeout 60s     after the last POST, give up on the open orders once none has ended for this long
              --soldout-sku SKU       product to order for sold-out orders (default: one with no stock)
              --json-out FILE         also write the results as JSON
              --no-progress           no live progress line

            Ceiling (bench; load and ceiling with --ceiling)
              --ceiling               (load) also measure the ceiling after the load
              --ceiling-relays 5      relays in the chain (each a consumer + producer in its own thread)
              --ceiling-duration 20s  length of the max-throughput run (bench: 20s)
              --ceiling-rate-duration 30s  length of the run at the suite's rate
              --ceiling-warmup 15s    unmeasured max-throughput run first
              --ceiling-linger-ms 2   producer linger.ms (the suite's default)
              --ceiling-max-in-flight 20000  records inside the chain at most in the max run
              --record-bytes N        (ceiling without a suite) record size; default: a real OrderPlaced

            Stack (stack)
              --run-dir DIR           default load-generator/target/bench-run (wiped at start)
              --stack-file FILE       default <run-dir>/stack.properties
              --free-ports            free ports instead of 9092 and 8081-8086
              --jvm-opts "OPTS"       JVM options of every service (default run-local.sh's: %s)
              --restock N             units added to every stocked product at start (default %d; 0: demo stock)
              --service-args "ARGS"   extra Spring Boot arguments for every service, e.g. "--logging.level.root=WARN"
              --args-<service> "ARGS" extra arguments for one service, e.g. --args-payment-service "..."
              --no-<service>          do not start that service, e.g. --no-tracing-collector
              --startup-timeout 300s  how long a service may take to become healthy
              --echo                  echo the services' output (always in <run-dir>/logs)

            Chaos (chaos; with --rate, --duration, --mix, --soldout-sku, --json-out as above)
              --seed N                the fault schedule (order, pause and scale targets); default: random, printed
              --faults LIST           kill,kill-kafka,pause,scale,db-outage (default all): SIGKILL each service
                                      once, SIGKILL the broker, SIGSTOP a step service (inventory, payment,
                                      shipping, notification) until the collector must have flagged it, a second
                                      instance started and SIGKILLed, and on ./run-local.sh --postgres the
                                      database shut down for --db-outage-for; spread evenly over --duration
                                      (default 2m, at --rate 5); kill-<service> kills only that one, e.g.
                                      kill-payment-service; pause-<service> pauses that one
              --pause-for 15s         how long the paused service stays stopped at least (longer if the
                                      collector's deadline for it is: its GET /choreography says)
              --db-outage-for 20s     how long the database stays down
              --fault-every 20s       the long run: rounds of those faults one after another, one every 20 s
                                      (a fault is never cut short; those not begun by the end are skipped)
              --settle-timeout 180s   after the load, how long the orders may take to reach their ends
              --control-port N        the launcher's control endpoint (default: <run dir>/control.port)
              --run-dir DIR           the suite's run dir (default .local-run)

            Exit status: 0 when every accepted order reached its expected end event and no POST failed; 1 otherwise;
            2 for bad options; 3 when the run could not be made.
            """.formatted(OrderMix.DEFAULT, String.join(" ", BenchStack.RUN_LOCAL_JVM_OPTIONS), BenchStack.DEFAULT_RESTOCK);

    private static final Set<String> FLAGS = Set.of("max", "ceiling", "free-ports", "echo", "help", "no-progress");

    private Main() {
    }

    public static void main(String[] argv) {
        List<String> all = new ArrayList<>(Arrays.asList(argv));
        String command = !all.isEmpty() && !all.get(0).startsWith("-") ? all.remove(0) : "load";
        configureLogging(command);
        int status;
        try {
            Args args = Args.parse(all, FLAGS);
            if (args.flag("help") || command.equals("help")) {
                System.out.println(USAGE);
                return;
            }
            status = switch (command) {
                case "load" -> load(args, false);
                case "bench" -> load(args, true);
                case "ceiling" -> ceiling(args);
                case "stack" -> stack(args);
                case "chaos" -> chaos(args);
                case "demo" -> demo(args);
                default -> throw new IllegalArgumentException("Unknown command '" + command + "'");
            };
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("See --help.");
            status = 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 3;
        } catch (RuntimeException e) {
            System.err.println("FAILED: " + e.getMessage());
            if (System.getenv("LOADGEN_DEBUG") != null) {
                e.printStackTrace();
            }
            status = 3;
        }
        System.exit(status);
    }

    /** The broker of {@code stack} logs to a file (the launcher's configuration); the clients of the others to stderr. */
    private static void configureLogging(String command) {
        if (command.equals("stack")) {
            System.setProperty("log4j2.shutdownHookEnabled", "false");
        } else if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "loadgen-log4j2.xml");
        }
    }

    private static int load(Args args, boolean bench) throws InterruptedException {
        StackInfo stack = stackOf(args);
        OrderMix mix = OrderMix.parse(args.string("mix", OrderMix.DEFAULT));
        double rate = args.decimal("rate", 100);
        boolean max = !bench && args.flag("max");
        long count = bench ? 0 : args.longValue("count", 0);
        Duration duration = args.duration("duration", Duration.ofSeconds(bench ? 60 : 30));
        Duration maxDuration = bench ? args.duration("max-duration", Duration.ofSeconds(60)) : Duration.ZERO;
        Duration warmup = args.duration("warmup", bench ? Duration.ofSeconds(60) : Duration.ZERO);
        Duration drain = args.duration("drain-timeout", Duration.ofSeconds(60));
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be positive (use --max for as fast as it goes)");
        }
        List<LoadGenerator.Phase> phases = new ArrayList<>();
        if (bench) {
            phases.add(new LoadGenerator.Phase(String.format("at %.0f/s", rate), rate, duration, 0, drain));
            if (!maxDuration.isZero()) {
                phases.add(new LoadGenerator.Phase("max", 0, maxDuration, 0, drain));
            }
        } else {
            phases.add(new LoadGenerator.Phase(max ? "max" : String.format("at %.0f/s", rate), max ? 0 : rate,
                    duration, count, drain));
        }
        // bench warms up as fast as the suite goes (hardest on the JIT, backlog bounded by --max-open)
        String warmupRate = args.string("warmup-rate", bench || max ? "max" : String.valueOf(rate));
        double warmRate = warmupRate.equals("max") ? 0 : Double.parseDouble(warmupRate);
        LoadGenerator.Phase warm = warmup.isZero() ? null
                : new LoadGenerator.Phase("warm-up", warmRate, warmup, 0, drain);
        boolean ceiling = bench || args.flag("ceiling");
        Benchmark.Plan plan = new Benchmark.Plan(mix, phases, warm,
                args.integer("max-in-flight", 256), args.integer("max-open", 2_000),
                args.string("soldout-sku").orElse(null), Duration.ofSeconds(120),
                args.integer("ceiling-relays", 5), args.integer("ceiling-linger-ms", 2),
                ceiling ? args.duration("ceiling-warmup", Duration.ofSeconds(15)) : Duration.ZERO,
                ceiling ? args.duration("ceiling-duration", Duration.ofSeconds(20)) : Duration.ZERO,
                args.duration("ceiling-rate-duration", Duration.ofSeconds(30)),
                args.integer("ceiling-max-in-flight", 20_000), bench, !args.flag("no-progress"),
                args.duration("catch-up-timeout", Duration.ofSeconds(300)));
        String jsonOut = args.string("json-out").orElse(null);
        args.requireAllRead();

        Benchmark.Results results = new Benchmark(stack, plan, System.out).run();
        Report report = new Report(results);
        System.out.print(report.table());
        if (jsonOut != null) {
            writeJson(Path.of(jsonOut), report.json());
            System.out.println("JSON: " + jsonOut);
        }
        boolean errors = results.phases().stream().anyMatch(p -> p.errorCount() > 0);
        return results.allOrdersEndedAsExpected() && !errors ? 0 : 1;
    }

    private static int ceiling(Args args) throws InterruptedException {
        String bootstrap = args.string("bootstrap", "127.0.0.1:9092");
        double rate = args.decimal("rate", 1_000);
        int relays = args.integer("ceiling-relays", 5);
        int linger = args.integer("ceiling-linger-ms", 2);
        Duration warmup = args.duration("ceiling-warmup", Duration.ofSeconds(15));
        Duration duration = args.duration("ceiling-duration", Duration.ofSeconds(20));
        Duration rateDuration = args.duration("ceiling-rate-duration", Duration.ofSeconds(30));
        int maxInFlight = args.integer("ceiling-max-in-flight", 20_000);
        int recordBytes = args.integer("record-bytes", 0);
        int partitions = args.integer("partitions", 0);
        String jsonOut = args.string("json-out").orElse(null);
        boolean progress = !args.flag("no-progress");
        args.requireAllRead();

        RecordSizes sizes = recordBytes > 0 ? RecordSizes.synthetic(recordBytes) : RecordSizes.sample(bootstrap);
        int p = partitions > 0 ? partitions : RelayChain.partitionsOf(bootstrap, dev.choreo.events.Topics.ORDER_EVENTS);
        System.out.printf("Ceiling: %d relays, %d partitions, %d-byte records, linger.ms=%d on %s%n", relays, p,
                sizes.templateBytes(), linger, bootstrap);
        List<RelayChain.Result> results = new ArrayList<>();
        try (Progress out = new Progress(System.err, progress);
             RelayChain chain = new RelayChain(bootstrap, relays, p, sizes, linger).start()) {
            Progress.Line line = out.records();
            if (!warmup.isZero()) {
                chain.run(Benchmark.CEILING_WARMUP, 0, warmup, maxInFlight, Duration.ofSeconds(60), line);
            }
            results.add(chain.run(Benchmark.CEILING_MAX, 0, duration, maxInFlight, Duration.ofSeconds(60), line));
            results.add(chain.run(Benchmark.ceilingAtRate(rate), rate, rateDuration, maxInFlight, Duration.ofSeconds(60), line));
        }
        System.out.printf("%n%-20s %8s %11s %11s %10s %8s %8s %8s %8s%n", "run", "target", "injected", "through",
                "records/s", "p50 ms", "p95 ms", "p99 ms", "max ms");
        for (RelayChain.Result c : results) {
            Latency l = c.latency();
            System.out.printf("%-20s %8s %,11d %,11d %,10.0f %8.1f %8.1f %8.1f %8.1f%n", c.name(),
                    c.targetRate() == 0 ? "max" : String.format("%.0f/s", c.targetRate()), c.sent(), c.received(),
                    c.throughput(), l.p50(), l.p95(), l.p99(), l.max());
        }
        if (jsonOut != null) {
            writeJson(Path.of(jsonOut), Map.of("machine", Machine.describe(), "recordSizes", sizes.toJson(),
                    "runs", results.stream().map(RelayChain.Result::toJson).toList()));
        }
        return results.stream().allMatch(r -> r.received() == r.sent()) ? 0 : 1;
    }

    private static int chaos(Args args) throws InterruptedException {
        Chaos.Plan plan = Chaos.plan(args);
        String jsonOut = args.string("json-out").orElse(null);
        args.requireAllRead();
        Chaos chaos = new Chaos(plan, System.out);
        ChaosChecks.Report report = chaos.run();
        if (jsonOut != null) {
            writeJson(Path.of(jsonOut), chaos.json(report));
            System.out.println("JSON: " + jsonOut);
        }
        return report.violations() == 0 ? 0 : 1;
    }

    private static int demo(Args args) throws InterruptedException {
        Chaos.Plan plan = Chaos.demoPlan(args);
        args.requireAllRead();
        new Chaos(plan, System.out).demo();
        return 0;
    }

    private static int stack(Args args) throws InterruptedException {
        RepoLayout repo = RepoLayout.locate();
        Path runDir = Path.of(args.string("run-dir", repo.root().resolve("load-generator/target/bench-run").toString()));
        Path stackFile = Path.of(args.string("stack-file", runDir.resolve("stack.properties").toString()));
        Set<ChoreoService> services = EnumSet.allOf(ChoreoService.class);
        for (String name : args.negated()) {
            if (name.equals("progress")) {
                continue;
            }
            services.remove(ChoreoService.byModuleName(name)
                    .orElseThrow(() -> new IllegalArgumentException("No service called " + name)));
        }
        List<String> jvmOptions = args.string("jvm-opts").map(Main::split).orElse(BenchStack.RUN_LOCAL_JVM_OPTIONS);
        Map<ChoreoService, List<String>> byService = new EnumMap<>(ChoreoService.class);
        args.withPrefix("args-").forEach((name, value) -> byService.put(ChoreoService.byModuleName(name)
                .orElseThrow(() -> new IllegalArgumentException("No service called " + name)), split(value)));
        BenchStack.Options options = new BenchStack.Options(runDir, services, args.flag("free-ports"), jvmOptions,
                args.longValue("restock", BenchStack.DEFAULT_RESTOCK), args.string("service-args").map(Main::split).orElse(List.of()),
                byService, args.duration("startup-timeout", Duration.ofSeconds(300)), args.flag("echo"));
        args.requireAllRead();

        PrintStream out = System.out;
        out.println("Starting the bench stack in " + runDir + " (service logs in " + runDir.resolve("logs") + ")");
        out.println("JVM options of every service: " + String.join(" ", jvmOptions));
        BenchStack stack = BenchStack.start(options, repo, out);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the bench stack ...");
            stack.close();
            System.out.println("Stopped.");
        }, "bench-stack-shutdown"));
        stack.info().write(stackFile);
        out.printf("STACK READY in %.1f s; stack file %s%n", stack.info().readySeconds(), stackFile);
        out.flush();
        Thread.currentThread().join(); // until SIGTERM / Ctrl-C: the hook stops everything
        return 0;
    }

    private static StackInfo stackOf(Args args) {
        if (args.has("stack")) {
            StackInfo info = StackInfo.read(Path.of(args.string("stack").orElseThrow()));
            for (String ignored : List.of("order-url", "inventory-url", "collector-url", "bootstrap")) {
                if (args.has(ignored)) {
                    throw new IllegalArgumentException("--" + ignored + " and --stack exclude each other");
                }
            }
            return info;
        }
        Map<String, URI> urls = StackInfo.defaultUrls();
        urls.put(ChoreoService.ORDER.moduleName(), URI.create(args.string("order-url", urls.get("order-service").toString())));
        urls.put(ChoreoService.INVENTORY.moduleName(), URI.create(args.string("inventory-url", urls.get("inventory-service").toString())));
        urls.put(ChoreoService.TRACING_COLLECTOR.moduleName(), URI.create(args.string("collector-url", urls.get("tracing-collector").toString())));
        Path runDir = Path.of(args.string("run-dir", RepoLayout.locate().localRunDir().toString()));
        return StackInfo.discover(args.string("bootstrap", "127.0.0.1:9092"), urls, LocalCredentials.read(runDir));
    }

    private static List<String> split(String options) {
        return Arrays.stream(options.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    static void writeJson(Path file, Object json) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json)
                    + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
