package dev.choreo.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.choreo.events.Topics;
import dev.choreo.localsuite.ChoreoService;

/**
 * A run against one suite: optional warm-up, the measured phases (each with the memory and CPU of every JVM), the
 * ceiling on the same broker, and the report. {@code load} runs one phase, {@code bench} the whole benchmark.
 */
final class Benchmark {

    /** What to run. {@code phases} are measured in order; the ceiling is skipped when {@code ceilingDuration} is 0. */
    record Plan(OrderMix mix, List<LoadGenerator.Phase> phases, LoadGenerator.Phase warmup, int maxInFlight,
            int maxOpen, String soldOutSku, Duration readyTimeout,
            int ceilingRelays, int ceilingLingerMs, Duration ceilingWarmup, Duration ceilingDuration,
            Duration ceilingRateDuration, int ceilingMaxInFlight, boolean evaluateTargets, boolean progress,
            Duration catchUpTimeout) {
    }

    /** Everything measured; the report is made from it. */
    record Results(StackInfo stack, Plan plan, List<PhaseStats> phases, Map<String, ProcessSampler.Sample> usage,
            RecordSizes recordSizes, List<RelayChain.Result> ceiling, Map<String, Integer> collectorCounts,
            long foreignEndEvents, long unreadableEndEvents, long ceilingSendErrors, int partitions,
            Map<String, String> machine) {

        PhaseStats phase(String name) {
            return phases.stream().filter(p -> p.name.equals(name)).findFirst().orElse(null);
        }

        RelayChain.Result ceiling(String name) {
            return ceiling.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
        }

        /** Every accepted order of every measured phase ended, as its scenario expects. */
        boolean allOrdersEndedAsExpected() {
            return phases.stream().allMatch(PhaseStats::allEndedAsExpected);
        }
    }

    static final String CEILING_WARMUP = "ceiling warm-up";
    static final String CEILING_MAX = "ceiling max";
    static final String CEILING_AT_RATE = "ceiling at %s/s";

    private final StackInfo stack;
    private final Plan plan;
    private final PrintStream log;

    Benchmark(StackInfo stack, Plan plan, PrintStream log) {
        this.stack = stack;
        this.plan = plan;
        this.log = log;
    }

    Results run() throws InterruptedException {
        OrderTracker tracker = new OrderTracker(plan.maxOpen());
        List<PhaseStats> measured = new ArrayList<>();
        Map<String, ProcessSampler.Sample> usage = new LinkedHashMap<>();
        List<RelayChain.Result> ceiling = new ArrayList<>();
        RecordSizes sizes;
        Map<String, Integer> collector;
        long foreign;
        long unreadable;
        int partitions;
        long ceilingErrors = 0;
        try (Progress progress = new Progress(System.err, plan.progress());
             EndEvents endEvents = new EndEvents(stack.bootstrapServers(), tracker).start(Duration.ofSeconds(60));
             ProcessSampler sampler = new ProcessSampler(stack.pids());
             SuiteLag lag = new SuiteLag(stack.bootstrapServers())) {
            LoadGenerator generator;
            HttpClient plainHttp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .authenticator(stack.credentials().operatorAuthenticator()).build();
            OrderRequests requests = OrderRequests.fromCatalogue(plainHttp,
                    stack.url(ChoreoService.INVENTORY), plan.soldOutSku(), plan.readyTimeout());
            log.printf("Catalogue: orders that must get through use %s (%,d units available); sold-out orders use %s%n",
                    requests.inStockSkus(), requests.availableUnits(), requests.soldOutSku());
            warnIfStockRunsOut(requests);
            generator = new LoadGenerator(stack.url(ChoreoService.ORDER), requests, plan.mix(), tracker, endEvents,
                    plan.maxInFlight(), progress, stack.credentials().operatorAuthenticator());
            try {
                log.println("Waiting until the suite takes orders and every outcome of the mix ends ...");
                generator.awaitSuiteReady(plan.readyTimeout(), log);
                if (plan.warmup() != null) {
                    log.println("Warm-up (not measured) " + plan.warmup().describe());
                    PhaseStats warm = generator.run(plan.warmup());
                    log.printf("  warm-up: %,d orders placed, %,d ended, %,.0f orders/s end to end%n",
                            warm.accepted.sum(), warm.ended.sum(), warm.endToEndThroughput());
                }
                for (LoadGenerator.Phase phase : plan.phases()) {
                    lag.awaitCaughtUp(plan.catchUpTimeout(), log);
                    log.println("Measuring " + phase.describe());
                    if (ProcessSampler.supported()) {
                        sampler.start();
                    }
                    PhaseStats stats = generator.run(phase);
                    if (ProcessSampler.supported()) {
                        usage.put(phase.name(), sampler.stop());
                    }
                    measured.add(stats);
                    describeNotEnded(stats, plainHttp);
                }
            } finally {
                generator.close();
            }
            foreign = tracker.foreignEnds();
            unreadable = endEvents.unreadable();
            sizes = RecordSizes.sample(stack.bootstrapServers());
            collector = collectorCounts(plainHttp);
            partitions = RelayChain.partitionsOf(stack.bootstrapServers(), Topics.ORDER_EVENTS);

            if (!plan.ceilingDuration().isZero()) {
                lag.awaitCaughtUp(plan.catchUpTimeout(), log);
                log.printf("Ceiling: a bare %d-relay chain of plain Kafka clients on the same broker, %d partitions,"
                        + " records of %d bytes (a real OrderPlaced record)%n", plan.ceilingRelays(), partitions,
                        sizes.templateBytes());
                try (RelayChain chain = startRelayChain(stack, plan, partitions, sizes, log)) {
                    Progress.Line line = progress.records();
                    Duration drain = Duration.ofSeconds(60);
                    if (!plan.ceilingWarmup().isZero()) {
                        chain.run(CEILING_WARMUP, 0, plan.ceilingWarmup(), plan.ceilingMaxInFlight(), drain, line);
                    }
                    if (ProcessSampler.supported()) {
                        sampler.start();
                    }
                    ceiling.add(chain.run(CEILING_MAX, 0, plan.ceilingDuration(), plan.ceilingMaxInFlight(), drain, line));
                    if (ProcessSampler.supported()) {
                        usage.put(CEILING_MAX, sampler.stop());
                    }
                    List<Double> rates = new ArrayList<>();
                    for (PhaseStats stats : measured) {
                        double rate = stats.targetRate > 0 ? stats.targetRate : Math.round(stats.endToEndThroughput());
                        if (rate > 0 && !rates.contains(rate)) {
                            rates.add(rate);
                        }
                    }
                    for (double rate : rates) {
                        ceiling.add(chain.run(ceilingAtRate(rate), rate, plan.ceilingRateDuration(),
                                plan.ceilingMaxInFlight(), drain, line));
                    }
                    ceilingErrors = chain.sendErrors();
                }
            }
        }
        return new Results(stack, plan, measured, usage, sizes, ceiling, collector, foreign, unreadable, ceilingErrors,
                partitions, Machine.describe());
    }

    /**
     * A fresh chain, started once more (new topics, new clients) if the first never lets its priming records
     * through. The cause seen in CI (KAFKA-14359 on fresh topics) is prevented by probing every partition before
     * the chain starts; the second start remains so that a benchmark run of many minutes never fails on its
     * yardstick alone.
     */
    private static RelayChain startRelayChain(StackInfo stack, Plan plan, int partitions, RecordSizes sizes,
            PrintStream log) {
        Supplier<RelayChain> chain = () -> new RelayChain(stack.bootstrapServers(), plan.ceilingRelays(), partitions,
                sizes, plan.ceilingLingerMs());
        try {
            return chain.get().start();
        } catch (RelayChain.NotFlowingException e) {
            log.println("  " + e.getMessage() + "; starting a fresh chain");
            return chain.get().start();
        }
    }

    static String ceilingAtRate(double rate) {
        return String.format(CEILING_AT_RATE, String.format("%.0f", rate));
    }

    private void warnIfStockRunsOut(OrderRequests requests) {
        long planned = 0;
        List<LoadGenerator.Phase> all = new ArrayList<>(plan.phases());
        if (plan.warmup() != null) {
            all.add(plan.warmup());
        }
        for (LoadGenerator.Phase phase : all) {
            planned += phase.count() > 0 ? phase.count()
                    : (long) ((phase.rate() > 0 ? phase.rate() : 3_000) * phase.duration().toSeconds());
        }
        long needed = Math.round(planned * (plan.mix().share(Scenario.COMPLETED) + plan.mix().share(Scenario.DECLINED)
                + plan.mix().share(Scenario.UNSHIPPABLE)));
        if (needed > requests.availableUnits()) {
            log.printf("WARNING: up to %,d orders need stock but only %,d units are available: once sold out, orders"
                    + " meant to complete are rejected and counted as unexpected outcomes. Run against the bench stack"
                    + " (it restocks), or restock inventory.%n", needed, requests.availableUnits());
        }
    }

    /** For a few orders that never ended: their status in order-service, to say where they stopped. */
    private void describeNotEnded(PhaseStats stats, HttpClient http) {
        if (stats.notEnded() == 0) {
            return;
        }
        log.printf("  %,d accepted orders did not end; their status in order-service:%n", stats.notEnded());
        for (String orderId : stats.notEndedSample().stream().limit(5).toList()) {
            String status = get(http, stack.url(ChoreoService.ORDER).resolve("/orders/" + orderId));
            int at = status.indexOf("\"status\"");
            log.println("    " + orderId + ": " + (at >= 0 ? status.substring(at, Math.min(status.length(), at + 24)) : status));
        }
    }

    /** How many processes the tracing collector lists as STUCK or FAILED (up to 1000 each), when it runs. */
    private Map<String, Integer> collectorCounts(HttpClient http) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        stack.optionalUrl(ChoreoService.TRACING_COLLECTOR).ifPresent(url -> {
            for (String status : List.of("STUCK", "FAILED")) {
                String body = get(http, url.resolve("/processes?status=" + status + "&limit=1000"));
                if (body.startsWith("[")) {
                    counts.put(status, body.equals("[]") ? 0 : countObjects(body));
                }
            }
        });
        return counts;
    }

    private static int countObjects(String jsonArray) {
        try {
            return dev.choreo.events.EventJson.mapper().readTree(jsonArray).size();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static String get(HttpClient http, URI uri) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "HTTP " + response.statusCode();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
