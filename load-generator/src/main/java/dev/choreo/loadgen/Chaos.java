package dev.choreo.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.choreo.events.EventJson;
import dev.choreo.localsuite.ChoreoService;
import dev.choreo.localsuite.Ctl;
import dev.choreo.localsuite.LocalCredentials;
import dev.choreo.localsuite.RepoLayout;
import tools.jackson.databind.JsonNode;

/**
 * {@code chaos}: steady load with the usual outcome mix while faults are injected through the running launcher's
 * control endpoint ({@code ./run-local.sh} with supervision on): SIGKILL of each service, SIGKILL of the broker,
 * SIGSTOP/SIGCONT of a service (long enough for the collector to flag the stall, which it must), a second instance
 * of a service started and SIGKILLed, and, with {@code ./run-local.sh --postgres}, a database outage (the
 * launcher's PostgreSQL server shut down immediately, then started again). The schedule is drawn from
 * {@code --seed}, so a run can be repeated. Then it lets the suite settle and checks, from the services' own REST
 * APIs, the collector and the dead-letter topics, that nothing was lost and nothing was done twice (see
 * {@link ChaosChecks}). Exit status 0 only without any violation.
 */
final class Chaos {

    /** The fault kinds, as named in {@code --faults}. */
    static final List<String> FAULT_KINDS = List.of("kill", "kill-kafka", "pause", "scale", "db-outage");
    /** The launcher's name for its PostgreSQL server ({@code --postgres}). */
    static final String DATABASE = "postgres";
    /** Consumers of the process topics, each owning steps of the flow: a stall of one is what the collector flags. */
    private static final List<String> STEP_SERVICES = List.of(ChoreoService.INVENTORY.moduleName(),
            ChoreoService.PAYMENT.moduleName(), ChoreoService.SHIPPING.moduleName(),
            ChoreoService.NOTIFICATION.moduleName());
    private static final List<String> SCALABLE = List.of(ChoreoService.INVENTORY.moduleName(),
            ChoreoService.PAYMENT.moduleName(), ChoreoService.SHIPPING.moduleName(),
            ChoreoService.NOTIFICATION.moduleName());

    record Plan(long seed, Duration duration, double rate, OrderMix mix, int controlPort, List<String> faultKinds,
                Duration pauseFor, Duration dbOutageFor, Duration settleTimeout, String soldOutSku,
                Duration faultEvery, Duration firstFaultAt, LocalCredentials credentials) {
    }

    /** One fault as injected: what, on whom, when (s after the load began), how long until it was UP again. */
    record Fault(String kind, String target, double atSeconds, double recoverySeconds, String note) {
    }

    /** An order the API accepted. */
    record Placed(String orderId, Scenario scenario, String sku, long placedAtMillis) {
    }

    private final Plan plan;
    private final PrintStream out;
    private final HttpClient http;
    private final Map<String, Placed> accepted = new ConcurrentHashMap<>();
    private final AtomicLong adopted = new AtomicLong();
    /** POSTs without a clear answer (timed out, cut off, 5xx): their orders may have been placed all the same. */
    private final Map<Long, Placed> unanswered = new ConcurrentHashMap<>();
    private volatile long runStartMillis;
    private final Map<String, AtomicLong> postFailures = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final List<Fault> injected = new CopyOnWriteArrayList<>();
    /** Stalls (pauses) the collector did not flag while they lasted: checked at the end. */
    private final List<String> unflaggedStalls = new CopyOnWriteArrayList<>();
    private final AtomicLong flaggedStalls = new AtomicLong();

    Chaos(Plan plan, PrintStream out) {
        this.plan = plan;
        this.out = out;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                .version(HttpClient.Version.HTTP_1_1);
        if (plan.credentials() != null) {
            http.authenticator(plan.credentials().operatorAuthenticator());
        }
        this.http = http.build();
    }

    private void requireCredentials() {
        if (plan.credentials() == null) {
            throw new IllegalStateException("No " + LocalCredentials.FILE_NAME + " in the suite's run dir: start it "
                    + "with ./run-local.sh, or pass its --run-dir");
        }
    }

    /**
     * The local users' passwords of the suite: {@code credentials.properties} of {@code --run-dir} or .local-run;
     * null when there is none (a run then stops at once, saying so).
     */
    static LocalCredentials credentials(Args args) {
        Path runDir = runDir(args);
        return Files.exists(runDir.resolve(LocalCredentials.FILE_NAME)) ? LocalCredentials.read(runDir) : null;
    }

    private static Path runDir(Args args) {
        return args.string("run-dir").map(Path::of).orElseGet(() -> RepoLayout.locate().localRunDir());
    }

    /** The control port: {@code --control-port}, else the {@code control.port} file of {@code --run-dir} or .local-run. */
    static int controlPort(Args args) {
        if (args.has("control-port")) {
            return args.integer("control-port", 0);
        }
        Path file = runDir(args).resolve("control.port");
        try {
            return Integer.parseInt(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("No control endpoint: cannot read " + file
                    + "; start the suite with ./run-local.sh (supervision on) or pass --control-port");
        }
    }

    static Plan plan(Args args) {
        long seed = args.longValue("seed", System.currentTimeMillis() % 100_000);
        List<String> kinds = List.of(args.string("faults", String.join(",", FAULT_KINDS)).split(","));
        for (String kind : kinds) {
            String k = kind.trim();
            if (!FAULT_KINDS.contains(k) && targetOf(k).isEmpty()) {
                throw new IllegalArgumentException("Unknown fault '" + kind + "' in --faults; use " + FAULT_KINDS
                        + ", kill-<service> or pause-<step service> (" + STEP_SERVICES + ")");
            }
        }
        double rate = args.decimal("rate", 5);
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be positive");
        }
        return new Plan(seed, args.duration("duration", Duration.ofMinutes(2)), rate,
                OrderMix.parse(args.string("mix", OrderMix.DEFAULT)), controlPort(args),
                kinds.stream().map(String::trim).toList(), args.duration("pause-for", Duration.ofSeconds(15)),
                args.duration("db-outage-for", Duration.ofSeconds(20)),
                args.duration("settle-timeout", Duration.ofSeconds(180)), args.string("soldout-sku").orElse(null),
                args.has("fault-every") ? args.duration("fault-every", Duration.ofSeconds(20)) : null, null,
                credentials(args));
    }

    /**
     * {@code demo}: a trickle of orders (1/s) with the usual outcome mix and, 20 s in and then every
     * {@code --stall-every} (3 min), one step service hung long enough for the collector to flag it. Until Ctrl-C,
     * {@code --duration}, or the suite going away.
     */
    static Plan demoPlan(Args args) {
        double rate = args.decimal("rate", 1);
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be positive");
        }
        return new Plan(args.longValue("seed", System.currentTimeMillis() % 100_000),
                args.duration("duration", Duration.ofHours(24)), rate,
                OrderMix.parse(args.string("mix", OrderMix.DEFAULT)), controlPort(args), List.of("pause"),
                Duration.ofSeconds(15), Duration.ZERO, Duration.ZERO, args.string("soldout-sku").orElse(null),
                args.duration("stall-every", Duration.ofMinutes(3)), Duration.ofSeconds(20), credentials(args));
    }

    /** The service of a one-service fault: {@code kill-<service>} or {@code pause-<step service>}. */
    static java.util.Optional<String> targetOf(String faultKind) {
        if (faultKind.startsWith("kill-") && ChoreoService.byModuleName(faultKind.substring(5)).isPresent()) {
            return java.util.Optional.of(faultKind.substring(5));
        }
        if (faultKind.startsWith("pause-") && STEP_SERVICES.contains(faultKind.substring(6))) {
            return java.util.Optional.of(faultKind.substring(6));
        }
        return java.util.Optional.empty();
    }

    /** Runs load and faults, settles, checks, prints the tables; the report says whether anything was violated. */
    ChaosChecks.Report run() throws InterruptedException {
        requireCredentials();
        Map<String, Unit> units = status();
        OrderRequests requests = orderRequests(units);
        List<String> skus = new ArrayList<>(requests.inStockSkus());
        if (requests.soldOutSku() != null) {
            skus.add(requests.soldOutSku());
        }
        ChaosChecks checks = new ChaosChecks(http, units.values().stream()
                .collect(LinkedHashMap::new, (map, unit) -> map.put(unit.name(), unit.address()), Map::putAll));
        Map<String, ChaosChecks.Stock> stockBefore = checks.stock(skus);
        Map<String, Long> deadLettersBefore = checks.deadLetters();

        List<Fault> schedule = schedule(units);
        if (plan.faultKinds().contains("db-outage") && !units.containsKey(DATABASE)) {
            out.println("No database outage: the suite runs on H2 (start it with ./run-local.sh --postgres for one)");
        }
        out.printf("Chaos: seed %d, %s at %.1f orders/s (mix %s), %d faults: %s%n", plan.seed(),
                LoadGenerator.seconds(plan.duration()), plan.rate(), plan.mix(), schedule.size(),
                schedule.stream().map(f -> f.kind() + " " + f.target()).toList());

        long start = loadWithFaults(units, requests, schedule);
        out.printf("Load done: %d orders accepted, POST failures %s; settling (at most %s) ...%n", accepted.size(),
                failures(), LoadGenerator.seconds(plan.settleTimeout()));

        awaitAllUp(Duration.ofSeconds(120));
        long startEpochMillis = System.currentTimeMillis() - Duration.ofNanos(System.nanoTime() - start).toMillis();
        adoptUnansweredOrders(requireUnit(units, ChoreoService.ORDER.moduleName()).address());
        if (adopted.get() > 0) {
            out.printf("%d of %d order(s) whose POST got no clear answer were accepted after all (found in GET /orders):"
                    + " checked too%n", adopted.get(), unanswered.size());
        }
        List<Placed> orders = accepted.values().stream()
                .sorted(java.util.Comparator.comparingLong(Placed::placedAtMillis)).toList();
        ChaosChecks.Report report = checks.verify(orders, stockBefore, deadLettersBefore,
                plan.settleTimeout(), injected, startEpochMillis, stallCheck(units));
        print(report, injected);
        return report;
    }

    /** The demo ({@link #demoPlan}): load and stalls, no checks; ends quietly when the suite goes away. */
    void demo() throws InterruptedException {
        requireCredentials();
        Map<String, Unit> units = status();
        OrderRequests requests = orderRequests(units);
        out.printf("Demo: %.1f orders/s (mix %s); a step service hung %s in, then every %s, until the collector flags"
                        + " it; Ctrl-C stops%n", plan.rate(), plan.mix(), LoadGenerator.seconds(plan.firstFaultAt()),
                LoadGenerator.seconds(plan.faultEvery()));
        try {
            loadWithFaults(units, requests, schedule(units));
            out.printf("Demo done: %d orders placed%n", accepted.size());
        } catch (IllegalStateException suiteGone) {
            out.printf("Demo stops: %s (%d orders placed)%n", suiteGone.getMessage(), accepted.size());
        }
    }

    List<Placed> accepted() {
        return List.copyOf(accepted.values());
    }

    private OrderRequests orderRequests(Map<String, Unit> units) throws InterruptedException {
        requireUnit(units, ChoreoService.ORDER.moduleName());
        String inventoryUrl = requireUnit(units, ChoreoService.INVENTORY.moduleName()).address();
        return OrderRequests.fromCatalogue(http, URI.create(inventoryUrl), plan.soldOutSku(), Duration.ofSeconds(60));
    }

    /** Open-loop load for the plan's duration while the faults are injected one after another; returns its start. */
    private long loadWithFaults(Map<String, Unit> units, OrderRequests requests, List<Fault> schedule)
            throws InterruptedException {
        String orderUrl = requireUnit(units, ChoreoService.ORDER.moduleName()).address();
        AtomicBoolean loading = new AtomicBoolean(true);
        runStartMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        Thread load = new Thread(() -> load(URI.create(orderUrl).resolve("/orders"), requests, start, loading), "chaos-load");
        load.start();
        try {
            long end = start + plan.duration().toNanos();
            for (Fault fault : schedule) {
                if (System.nanoTime() >= end) {
                    out.printf("%d fault(s) skipped: the faults before them outlasted --duration%n",
                            schedule.size() - injected.size());
                    break;
                }
                awaitWhileTheSuiteRuns(start + (long) (fault.atSeconds() * 1e9));
                injected.add(inject(fault, start));
            }
            awaitWhileTheSuiteRuns(end);
        } finally {
            loading.set(false);
            load.join();
        }
        return start;
    }

    /**
     * One round of faults: every service killed once, the broker once, one pause of a step service, one
     * scale-and-kill, one database outage (on PostgreSQL), shuffled by the seed. Without {@code --fault-every} the
     * run is one round spread evenly over the duration; with it, rounds follow each other, one fault per interval.
     */
    List<Fault> schedule(Map<String, Unit> units) {
        Random random = new Random(plan.seed());
        double durationSeconds = plan.duration().toMillis() / 1000.0;
        List<Fault> faults = new ArrayList<>();
        double spacing;
        if (plan.faultEvery() == null) {
            faults.addAll(round(units, random));
            spacing = durationSeconds / (faults.size() + 1);
        } else {
            spacing = plan.faultEvery().toMillis() / 1000.0;
            double first = plan.firstFaultAt() == null ? spacing : plan.firstFaultAt().toMillis() / 1000.0;
            long count = Math.max(0, (long) Math.ceil((durationSeconds - first) / spacing));
            while (faults.size() < count) {
                List<Fault> round = round(units, random);
                if (round.isEmpty()) {
                    break;
                }
                faults.addAll(round.subList(0, (int) Math.min(round.size(), count - faults.size())));
            }
        }
        List<Fault> timed = new ArrayList<>();
        double first = plan.faultEvery() != null && plan.firstFaultAt() != null
                ? plan.firstFaultAt().toMillis() / 1000.0 : spacing;
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            timed.add(new Fault(f.kind(), f.target(), Math.round((first + spacing * i) * 10) / 10.0, 0, ""));
        }
        return timed;
    }

    private List<Fault> round(Map<String, Unit> units, Random random) {
        List<String> services = units.keySet().stream()
                .filter(name -> !name.equals("kafka") && !name.equals(DATABASE) && !name.contains("#")).toList();
        List<Fault> faults = new ArrayList<>();
        for (String service : services) {
            if (plan.faultKinds().contains("kill") || plan.faultKinds().contains("kill-" + service)) {
                faults.add(new Fault("kill", service, 0, 0, ""));
            }
        }
        if (plan.faultKinds().contains("kill-kafka") && units.containsKey("kafka")) {
            faults.add(new Fault("kill-kafka", "kafka", 0, 0, ""));
        }
        List<String> pausable = STEP_SERVICES.stream().filter(units::containsKey).toList();
        if (plan.faultKinds().contains("pause") && !pausable.isEmpty()) {
            faults.add(new Fault("pause", pausable.get(random.nextInt(pausable.size())), 0, 0, ""));
        }
        for (String service : pausable) {
            if (plan.faultKinds().contains("pause-" + service)) {
                faults.add(new Fault("pause", service, 0, 0, ""));
            }
        }
        if (plan.faultKinds().contains("db-outage") && units.containsKey(DATABASE)) {
            faults.add(new Fault("db-outage", DATABASE, 0, 0, ""));
        }
        List<String> scalable = SCALABLE.stream().filter(units::containsKey).toList();
        if (plan.faultKinds().contains("scale") && !scalable.isEmpty()) {
            faults.add(new Fault("scale", scalable.get(random.nextInt(scalable.size())), 0, 0, ""));
        }
        Collections.shuffle(faults, random);
        return faults;
    }

    /** Sleeps until {@code nanoTime}, asking the launcher every few seconds: it throws once the suite is gone. */
    private void awaitWhileTheSuiteRuns(long nanoTime) throws InterruptedException {
        while (System.nanoTime() < nanoTime) {
            Thread.sleep(Math.max(1, Math.min(5_000, (nanoTime - System.nanoTime()) / 1_000_000)));
            status();
        }
    }

    private Fault inject(Fault fault, long start) throws InterruptedException {
        double at = (System.nanoTime() - start) / 1e9;
        long injectedAt = System.nanoTime();
        String note;
        switch (fault.kind()) {
            case "kill", "kill-kafka" -> {
                long pid = pidOf(fault.target());
                note = ctl("kill-9", fault.target());
                awaitUp(fault.target(), pid, Duration.ofSeconds(180));
            }
            case "pause" -> {
                Duration pauseFor = pauseLength(fault.target());
                note = ctl("pause", fault.target());
                note += "; " + watchCollectorFlag(fault.target(), pauseFor, at);
                note += "; " + ctl("resume", fault.target());
            }
            case "db-outage" -> {
                note = ctl("stop", DATABASE);
                Thread.sleep(plan.dbOutageFor().toMillis());
                note += "; " + ctl("start", DATABASE);
                awaitServicesHealthy(Duration.ofSeconds(180));
            }
            case "scale" -> {
                String second = fault.target() + "#2";
                note = ctl("scale", fault.target(), "2");
                Thread.sleep(5_000); // let the group rebalance onto the second instance and both consume
                long pid = pidOf(second);
                injectedAt = System.nanoTime();
                note += "; " + ctl("kill-9", second);
                awaitUp(second, pid, Duration.ofSeconds(180));
                note += "; " + ctl("scale", fault.target(), "1");
            }
            default -> throw new IllegalArgumentException(fault.kind());
        }
        double recovery = (System.nanoTime() - injectedAt) / 1e9;
        Fault done = new Fault(fault.kind(), fault.target(), Math.round(at * 10) / 10.0,
                Math.round(recovery * 10) / 10.0, note.replace('\n', ' ').trim());
        out.printf("%6.1f s  %-10s %-22s recovered in %5.1f s  (%s)%n", done.atSeconds(), done.kind(), done.target(),
                done.recoverySeconds(), done.note());
        return done;
    }

    /**
     * How long to hang a service: {@code --pause-for}, but at least as long as the collector needs to flag a
     * process waiting on it (the longest deadline of the service's forward steps, as the collector declares them at
     * {@code GET /choreography}, plus the time its consumer group needs to lose the hung member and a margin).
     */
    private Duration pauseLength(String service) {
        String collector = addressOf(ChoreoService.TRACING_COLLECTOR.moduleName());
        if (collector == null) {
            return plan.pauseFor();
        }
        long deadlineMillis = 0;
        java.util.Optional<String> body = ChaosChecks.get(http, collector + "/choreography");
        if (body.isPresent()) {
            for (JsonNode step : readJson(body.get()).path("declared")) {
                boolean ownsStep = false;
                for (JsonNode expectation : step.path("expect")) {
                    ownsStep |= expectation.path("service").asString().equals(service);
                }
                if (ownsStep && !step.path("compensation").asBoolean()) {
                    deadlineMillis = Math.max(deadlineMillis, step.path("deadlineMillis").asLong());
                }
            }
        }
        Duration needed = Duration.ofMillis(deadlineMillis).plus(STALL_FLAG_MARGIN);
        return deadlineMillis > 0 && needed.compareTo(plan.pauseFor()) > 0 ? needed : plan.pauseFor();
    }

    /** Beyond a step's deadline: the hung member's session timeout (6 s in the launcher) and the collector's tick. */
    private static final Duration STALL_FLAG_MARGIN = Duration.ofSeconds(15);

    /**
     * Watches the collector while {@code service} hangs: it must list a STUCK process whose diagnosis names that
     * service before the stall ends. Without a collector there is nothing to check.
     */
    private String watchCollectorFlag(String service, Duration pauseFor, double pausedAtSeconds)
            throws InterruptedException {
        String collector = addressOf(ChoreoService.TRACING_COLLECTOR.moduleName());
        long start = System.nanoTime();
        long end = start + pauseFor.toNanos();
        Double flaggedAfter = null;
        long stuckOnService = 0;
        while (System.nanoTime() < end) {
            if (collector != null && flaggedAfter == null) {
                java.util.Optional<String> body = ChaosChecks.get(http, collector + "/processes?status=STUCK&limit=1000");
                if (body.isPresent()) {
                    JsonNode list = readJson(body.get());
                    JsonNode items = list.isArray() ? list : list.path("processes");
                    for (JsonNode process : items) {
                        if (process.path("diagnosis").path("suspectService").asString().equals(service)) {
                            stuckOnService++;
                        }
                    }
                    if (stuckOnService > 0) {
                        flaggedAfter = (System.nanoTime() - start) / 1e9;
                    }
                }
            }
            Thread.sleep(Math.max(1, Math.min(1_000, (end - System.nanoTime()) / 1_000_000)));
        }
        String pause = "paused " + LoadGenerator.seconds(pauseFor);
        if (collector == null) {
            return pause + " (no collector to flag it)";
        }
        if (flaggedAfter == null) {
            unflaggedStalls.add(service + " hung for " + LoadGenerator.seconds(pauseFor) + " from "
                    + Math.round(pausedAtSeconds) + " s: the collector listed no process STUCK on it");
            return pause + "; the collector flagged nothing";
        }
        flaggedStalls.incrementAndGet();
        return pause + String.format("; the collector flagged %d process(es) STUCK on %s after %.1f s", stuckOnService,
                service, flaggedAfter);
    }

    private ChaosChecks.Check stallCheck(Map<String, Unit> units) {
        String name = "collector flagged each stall while it lasted";
        if (!units.containsKey(ChoreoService.TRACING_COLLECTOR.moduleName())) {
            return new ChaosChecks.Check(name, "collector not running: not checked", List.of());
        }
        long stalls = injected.stream().filter(fault -> fault.kind().equals("pause")).count();
        return new ChaosChecks.Check(name, stalls == 0 ? "no stall injected" : flaggedStalls.get() + " of " + stalls
                + " flagged", List.copyOf(unflaggedStalls));
    }

    /** After a database outage: every service healthy again (their health includes the database). */
    private void awaitServicesHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (status().values().stream().filter(unit -> unit.address().startsWith("http"))
                    .allMatch(unit -> unit.state().equals("UP") && isReady(unit))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Not every service was healthy again within " + LoadGenerator.seconds(timeout)
                + " of the database's return: " + status().values());
    }

    private String addressOf(String name) {
        Unit unit = status().get(name);
        return unit == null ? null : unit.address();
    }

    /** Open-loop load at the plan's rate until {@code loading} turns false; POSTs run on a small pool. */
    private void load(URI orders, OrderRequests requests, long start, AtomicBoolean loading) {
        ExecutorService posters = Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "chaos-post");
            thread.setDaemon(true);
            return thread;
        });
        long interval = Math.round(1e9 / plan.rate());
        for (long i = 0; loading.get(); i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long n = sequence.getAndIncrement();
            Scenario scenario = plan.mix().scenarioOf(n);
            String sku = scenario == Scenario.SOLD_OUT ? requests.soldOutSku()
                    : requests.inStockSkus().get((int) (n % requests.inStockSkus().size()));
            String body = requests.body(scenario, n);
            posters.execute(() -> post(orders, body, new Placed(null, scenario, sku, 0), n));
        }
        posters.shutdown();
        try {
            posters.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void post(URI orders, String body, Placed order, long n) {
        long placedAt = System.currentTimeMillis();
        Placed placed = new Placed(null, order.scenario(), order.sku(), placedAt);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(orders).timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 201) {
                String orderId = OrderRequests.orderIdOf(response.body());
                accepted.putIfAbsent(orderId, new Placed(orderId, order.scenario(), order.sku(), placedAt));
            } else {
                postFailures.computeIfAbsent("HTTP " + response.statusCode(), k -> new AtomicLong()).incrementAndGet();
                if (response.statusCode() >= 500) {
                    // e.g. the database went away during the commit: it may have committed all the same
                    unanswered.put(n, placed);
                }
            }
        } catch (java.net.ConnectException e) {
            // order-service down (SIGKILLed or restarting): refused, nothing placed, the client would retry
            postFailures.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
        } catch (IOException e) {
            // timed out or cut off (a paused order-service, a database outage): the order may be placed all the same
            postFailures.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
            unanswered.put(n, placed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A POST without a clear answer may still have placed an order, even long after the client gave up (a request
     * waiting for a database connection through an outage commits once it is back), and that order ships, charges
     * and notifies like any other. Once the suite has settled, each one is looked up by its customer id
     * ({@code load-c-<n>}, unique in a run under 10,000 orders) and checked too.
     */
    private void adoptUnansweredOrders(String orderServiceUrl) throws InterruptedException {
        for (Map.Entry<Long, Placed> post : unanswered.entrySet()) {
            String url = orderServiceUrl + "/orders?limit=10&customerId=load-c-" + (post.getKey() % 10_000);
            java.util.Optional<String> body = ChaosChecks.get(http, url);
            for (int attempt = 0; body.isEmpty() && attempt < 60; attempt++) {
                Thread.sleep(1_000);
                body = ChaosChecks.get(http, url);
            }
            if (body.isEmpty()) {
                throw new IllegalStateException("order-service does not answer " + url);
            }
            for (JsonNode summary : readJson(body.get())) {
                String orderId = summary.path("orderId").asString();
                long created = Instant.parse(summary.path("createdAt").asString()).toEpochMilli();
                if (created >= runStartMillis && accepted.putIfAbsent(orderId,
                        new Placed(orderId, post.getValue().scenario(), post.getValue().sku(), created)) == null) {
                    adopted.incrementAndGet();
                }
            }
        }
    }

    Map<String, Long> failures() {
        Map<String, Long> copy = new LinkedHashMap<>();
        postFailures.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** A broker or service as {@code GET /status} lists it. */
    record Unit(String name, String state, long pid, String address) {
    }

    Map<String, Unit> status() {
        Map<String, Unit> units = new LinkedHashMap<>();
        String[] lines = ctl("status").split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] cols = lines[i].trim().split("\\s+");
            if (cols.length >= 4) {
                units.put(cols[0], new Unit(cols[0], cols[1], cols[2].equals("-") ? -1 : Long.parseLong(cols[2]), cols[3]));
            }
        }
        return units;
    }

    private long pidOf(String name) {
        Unit unit = status().get(name);
        return unit == null ? -1 : unit.pid();
    }

    private void awaitUp(String name, long oldPid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Unit unit = status().get(name);
            if (unit != null && unit.state().equals("UP") && unit.pid() != oldPid && isReady(unit)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " was not UP again within " + LoadGenerator.seconds(timeout)
                + "; is the suite supervised (./run-local.sh, not --no-supervise)?");
    }

    private void awaitAllUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (status().values().stream().allMatch(unit -> unit.state().equals("UP"))) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Not every broker/service is UP after the faults: " + status().values());
    }

    /** The supervisor's UP for a service means its health endpoint said UP once; the broker and database are UP once serving. */
    private boolean isReady(Unit unit) {
        return !unit.address().startsWith("http") || ChaosChecks.get(http, unit.address() + "/actuator/health")
                .map(body -> body.contains("\"UP\"")).orElse(false);
    }

    private String ctl(String... words) {
        try {
            HttpResponse<String> response = Ctl.send(plan.controlPort(), List.of(words));
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("ctl " + String.join(" ", words) + ": " + response.body().trim());
            }
            return response.body().trim();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static Unit requireUnit(Map<String, Unit> units, String name) {
        Unit unit = units.get(name);
        if (unit == null) {
            throw new IllegalStateException("The suite runs no " + name + "; chaos needs all of order, inventory, "
                    + "payment, shipping and notification");
        }
        return unit;
    }

    private void print(ChaosChecks.Report report, List<Fault> injected) {
        out.println();
        out.printf("%-11s %-22s %8s %12s %16s%n", "fault", "target", "at", "recovery", "orders affected");
        for (Fault fault : injected) {
            out.printf("%-11s %-22s %7.1fs %11.1fs %16d%n", fault.kind(), fault.target(), fault.atSeconds(),
                    fault.recoverySeconds(), report.affected().getOrDefault(fault.kind() + " " + fault.target(), 0L));
        }
        out.println();
        out.printf("%-44s %-6s %s%n", "check", "result", "violations (first few)");
        for (ChaosChecks.Check check : report.checks()) {
            out.printf("%-44s %-6s %s%n", check.name(), check.violations().isEmpty() ? "ok" : "FAIL",
                    check.violations().isEmpty() ? check.detail()
                            : check.violations().size() + ": " + String.join("; ", check.violations().stream().limit(3).toList()));
        }
        out.printf("%nOrders accepted %d, settled in %.1f s; violations: %d%n", report.orders(), report.settleSeconds(),
                report.violations());
    }

    List<Fault> injected() {
        return List.copyOf(injected);
    }

    /** The run as JSON: plan, faults, checks. */
    Map<String, Object> json(ChaosChecks.Report report) {
        List<Fault> faults = injected();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seed", plan.seed());
        json.put("durationSeconds", plan.duration().toSeconds());
        json.put("rate", plan.rate());
        json.put("database", status().containsKey(DATABASE) ? "postgresql" : "h2");
        json.put("mix", plan.mix().toString());
        json.put("ordersAccepted", report.orders());
        json.put("postFailures", failures());
        json.put("acceptedAfterTimeout", adopted.get());
        json.put("settleSeconds", report.settleSeconds());
        json.put("faults", faults.stream().map(f -> Map.of("kind", f.kind(), "target", f.target(), "atSeconds",
                f.atSeconds(), "recoverySeconds", f.recoverySeconds(), "ordersAffected",
                report.affected().getOrDefault(f.kind() + " " + f.target(), 0L), "note", f.note())).toList());
        json.put("checks", report.checks().stream().map(c -> Map.of("name", c.name(), "ok", c.violations().isEmpty(),
                "detail", c.detail(), "violations", c.violations())).toList());
        json.put("violations", report.violations());
        json.put("finishedAt", Instant.now().toString());
        return json;
    }

    static JsonNode readJson(String body) {
        return EventJson.mapper().readTree(body);
    }
}
