package dev.choreo.loadgen;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.choreo.localsuite.ChoreoService;

/** The results as a table for people and as JSON for machines, with the ratios to the ceiling and the targets. */
final class Report {

    /** The targets for the 2-core machine. */
    static final double TARGET_THROUGHPUT = 400;
    static final double TARGET_CPU_MS_PER_ORDER = 5;
    static final double TARGET_P99_RATE = 100;
    static final double TARGET_P99_MS = 250;
    static final double TARGET_RSS_MB = 300;
    static final double TARGET_READY_S = 20;

    /** One target: met, missed, or not measured by this run. */
    record Target(String name, String verdict, String measured) {
    }

    private final Benchmark.Results r;
    private final Instant at = Instant.now();

    Report(Benchmark.Results results) {
        this.r = results;
    }

    String table() {
        StringBuilder t = new StringBuilder();
        String nl = System.lineSeparator();
        t.append(nl).append("choreo load test, ").append(at).append(nl);
        t.append(String.format("machine: %s cores (%s), %s RAM, %s; load average %s%n", r.machine().get("cores"),
                r.machine().get("cpu"), r.machine().get("memory"), r.machine().get("jdk"), r.machine().get("loadAverage")));
        t.append("mix: ").append(r.plan().mix()).append(";  end-to-end latency: POST sent -> its CustomerNotified read from ")
                .append("notification-events").append(nl).append(nl);

        t.append(String.format("%-14s %8s %9s %9s %9s %10s %7s %11s %11s %8s %8s %8s %8s %8s%n", "phase", "target",
                "placed", "ended", "not ended", "unexpected", "errors", "offered/s", "e2e ord/s", "p50 ms", "p95 ms",
                "p99 ms", "max ms", "POST p99"));
        for (PhaseStats p : r.phases()) {
            Latency e = p.endToEnd();
            t.append(String.format("%-14s %8s %,9d %,9d %,9d %,10d %,7d %,11.0f %,11.0f %8s %8s %8s %8s %8s%n", p.name,
                    rate(p.targetRate), p.accepted.sum(), p.ended.sum(), p.notEnded(), p.unexpectedEnds.sum(),
                    p.errorCount(), p.offeredRate(), p.endToEndThroughput(), ms(e.p50()), ms(e.p95()), ms(e.p99()),
                    ms(e.max()), ms(p.post().p99())));
        }
        for (PhaseStats p : r.phases()) {
            t.append(nl).append("outcomes, phase ").append(p.name).append(nl);
            t.append(String.format("  %-12s %-16s %9s %9s %9s %8s %8s %8s%n", "outcome", "expected end", "placed", "ended",
                    "not ended", "p50 ms", "p99 ms", "max ms"));
            for (Scenario s : Scenario.values()) {
                if (p.placed(s) == 0) {
                    continue;
                }
                Latency l = p.endToEnd(s);
                t.append(String.format("  %-12s %-16s %,9d %,9d %,9d %8s %8s %8s%n", s.label(), s.expectedEnd(),
                        p.placed(s), p.endedAs(s), p.notEnded(s), ms(l.p50()), ms(l.p99()), ms(l.max())));
            }
            if (!p.errors().isEmpty()) {
                t.append("  POST errors: ").append(p.errors()).append(nl);
            }
            if (!p.unexpected().isEmpty()) {
                t.append("  unexpected outcomes: ").append(p.unexpected()).append(nl);
            }
            if (p.notEnded() > 0) {
                t.append("  orders that never ended, e.g.: ").append(p.notEndedSample()).append(nl);
            }
            if (p.targetRate > 0 && p.maxBehindSeconds() > 1) {
                t.append(String.format("  the sender fell up to %.1f s behind its schedule (in-flight bounds reached)%n",
                        p.maxBehindSeconds()));
            }
        }
        if (!r.collectorCounts().isEmpty()) {
            t.append(nl).append("tracing-collector afterwards: ").append(r.collectorCounts()).append(" processes").append(nl);
        }

        if (!r.ceiling().isEmpty()) {
            t.append(nl).append(String.format("ceiling: bare %d-relay chain, plain kafka-clients, same broker, %d partitions,"
                            + " %d-byte records (a real OrderPlaced: %d-byte value, %d headers), linger.ms=%d%n",
                    r.plan().ceilingRelays(), r.partitions(), r.recordSizes().templateBytes(),
                    r.recordSizes().templateValue().length, r.recordSizes().templateHeaders().toArray().length,
                    r.plan().ceilingLingerMs()));
            t.append(String.format("%-20s %8s %11s %11s %10s %8s %8s %8s %8s%n", "run", "target", "injected", "through",
                    "records/s", "p50 ms", "p95 ms", "p99 ms", "max ms"));
            for (RelayChain.Result c : r.ceiling()) {
                Latency l = c.latency();
                t.append(String.format("%-20s %8s %,11d %,11d %,10.0f %8s %8s %8s %8s%n", c.name(), rate(c.targetRate()),
                        c.sent(), c.received(), c.throughput(), ms(l.p50()), ms(l.p95()), ms(l.p99()), ms(l.max())));
            }
            t.append(nl).append("suite / ceiling").append(nl);
            for (Map<String, Object> ratio : ratios()) {
                t.append(String.format("  %-34s suite %12s   ceiling %12s   %s%n", ratio.get("what"), ratio.get("suiteText"),
                        ratio.get("ceilingText"), ratio.get("ratioText")));
            }
        }

        Map<String, ProcessSampler.Sample> suiteUsage = suiteUsage();
        if (!suiteUsage.isEmpty()) {
            List<String> names = new ArrayList<>(suiteUsage.values().iterator().next().processes().keySet());
            t.append(nl).append("memory (max RSS during the phase, MB) and CPU (cores used on average) per JVM").append(nl);
            StringBuilder header = new StringBuilder(String.format("  %-22s", "process"));
            for (String phase : suiteUsage.keySet()) {
                header.append(String.format(" %14s %10s", phase + " RSS", "CPU"));
            }
            t.append(header).append(nl);
            for (String name : names) {
                StringBuilder row = new StringBuilder(String.format("  %-22s", name.equals(StackInfo.BROKER) ? "kafka (broker JVM)" : name));
                for (ProcessSampler.Sample sample : suiteUsage.values()) {
                    ProcessSampler.Usage u = sample.processes().get(name);
                    row.append(String.format(" %14.0f %10.2f", u.maxRssKb() / 1024.0, u.cpuCores()));
                }
                t.append(row).append(nl);
            }
            StringBuilder machine = new StringBuilder(String.format("  %-22s", "machine CPU busy %"));
            for (ProcessSampler.Sample sample : suiteUsage.values()) {
                machine.append(String.format(" %14s %10.0f", "", sample.machineBusyPercent()));
            }
            t.append(machine).append(nl);
        }

        Map<String, Object> cpu = cpuPerOrder();
        if (!cpu.isEmpty()) {
            t.append(nl).append("CPU cost (CPU seconds of the JVMs / work done; inflated when the machine is oversubscribed)").append(nl);
            cpu.forEach((what, value) -> t.append(String.format("  %-58s %s%n", what, value)));
        }

        if (r.plan().evaluateTargets()) {
            t.append(nl).append("targets (2-core machine, all services, broker and databases on it)").append(nl);
            for (Target target : targets()) {
                t.append(String.format("  %-52s %-13s %s%n", target.name(), target.verdict(), target.measured()));
            }
        }
        t.append(nl).append(r.allOrdersEndedAsExpected()
                ? "every accepted order reached its expected end event"
                : "NOT every accepted order reached its expected end event").append(nl);
        return t.toString();
    }

    /**
     * CPU milliseconds per order (every suite JVM incl. the broker, the generator excluded) and per record through
     * the ceiling's chain (broker + the generator's JVM, where the relays run), and what they imply for the machine.
     */
    Map<String, Object> cpuPerOrder() {
        Map<String, Object> cpu = new LinkedHashMap<>();
        int cores = Integer.parseInt(r.machine().getOrDefault("cores", "2"));
        for (PhaseStats p : r.phases()) {
            ProcessSampler.Sample sample = r.usage().get(p.name);
            if (sample == null || p.ended.sum() == 0) {
                continue;
            }
            double seconds = sample.processes().entrySet().stream().filter(e -> !e.getKey().equals("load-generator"))
                    .mapToDouble(e -> e.getValue().cpuSeconds()).filter(Double::isFinite).sum();
            double msPerOrder = 1000 * seconds / p.ended.sum();
            cpu.put("suite, phase " + p.name + ": CPU ms per order", String.format("%.2f ms (%,.0f orders/s if it had all %d cores)",
                    msPerOrder, cores * 1000 / msPerOrder, cores));
            StringBuilder per = new StringBuilder();
            sample.processes().forEach((name, u) -> {
                if (!name.equals("load-generator") && Double.isFinite(u.cpuSeconds())) {
                    per.append(String.format("%s %.2f  ", name.equals(StackInfo.BROKER) ? "kafka" : name.replace("-service", ""),
                            1000 * u.cpuSeconds() / p.ended.sum()));
                }
            });
            cpu.put("  by JVM (ms per order)", per.toString().trim());
        }
        ProcessSampler.Sample chain = r.usage().get(Benchmark.CEILING_MAX);
        RelayChain.Result max = r.ceiling(Benchmark.CEILING_MAX);
        if (chain != null && max != null && max.received() > 0) {
            double seconds = 0;
            for (String name : List.of(StackInfo.BROKER, "load-generator")) {
                ProcessSampler.Usage u = chain.processes().get(name);
                if (u != null && Double.isFinite(u.cpuSeconds())) {
                    seconds += u.cpuSeconds();
                }
            }
            double msPerRecord = 1000 * seconds / max.received();
            cpu.put("ceiling: CPU ms per record through the chain (broker + relays)",
                    String.format("%.3f ms (%,.0f records/s if it had all %d cores)", msPerRecord, cores * 1000 / msPerRecord, cores));
        }
        return cpu;
    }

    /** CPU milliseconds of every suite JVM (broker included, generator excluded) per order that ended in the phase. */
    private double cpuMsPerOrder(PhaseStats p) {
        ProcessSampler.Sample sample = r.usage().get(p.name);
        if (sample == null || p.ended.sum() == 0) {
            return Double.NaN;
        }
        double seconds = sample.processes().entrySet().stream().filter(e -> !e.getKey().equals("load-generator"))
                .mapToDouble(e -> e.getValue().cpuSeconds()).filter(Double::isFinite).sum();
        return 1000 * seconds / p.ended.sum();
    }

    /** Memory and CPU of the suite's phases (not of the ceiling's run). */
    private Map<String, ProcessSampler.Sample> suiteUsage() {
        Map<String, ProcessSampler.Sample> usage = new LinkedHashMap<>(r.usage());
        usage.remove(Benchmark.CEILING_MAX);
        return usage;
    }

    List<Map<String, Object>> ratios() {
        List<Map<String, Object>> ratios = new ArrayList<>();
        RelayChain.Result ceilingMax = r.ceiling(Benchmark.CEILING_MAX);
        PhaseStats max = r.phases().stream().filter(p -> p.targetRate == 0).findFirst().orElse(null);
        if (ceilingMax != null && max != null) {
            ratios.add(ratio("max throughput (orders or records/s)", max.endToEndThroughput(), ceilingMax.throughput(), "/s", true));
        }
        for (PhaseStats p : r.phases()) {
            double rate = p.targetRate > 0 ? p.targetRate : Math.round(p.endToEndThroughput());
            RelayChain.Result c = r.ceiling(Benchmark.ceilingAtRate(rate));
            if (c == null || c.latency().isEmpty() || p.endToEnd().isEmpty()) {
                continue;
            }
            String at = String.format(" at %.0f/s", rate);
            ratios.add(ratio("p50" + at, p.endToEnd().p50(), c.latency().p50(), " ms", false));
            ratios.add(ratio("p99" + at, p.endToEnd().p99(), c.latency().p99(), " ms", false));
        }
        return ratios;
    }

    private static Map<String, Object> ratio(String what, double suite, double ceiling, String unit, boolean share) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("what", what);
        json.put("suite", Latency.round(suite));
        json.put("ceiling", Latency.round(ceiling));
        double ratio = suite / ceiling;
        json.put("suiteOverCeiling", Double.isFinite(ratio) ? Math.round(ratio * 10_000.0) / 10_000.0 : null);
        json.put("suiteText", String.format("%,.1f%s", suite, unit));
        json.put("ceilingText", String.format("%,.1f%s", ceiling, unit));
        json.put("ratioText", share ? String.format("= %.1f %% of the ceiling", 100 * ratio)
                : String.format("= %.1fx the ceiling's", ratio));
        return json;
    }

    List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        PhaseStats max = r.phases().stream().filter(p -> p.targetRate == 0).findFirst().orElse(null);
        if (max == null) {
            targets.add(new Target(">= 400 orders/s as fast as it goes, none lost or stuck", "NOT MEASURED", "no max-rate phase"));
        } else {
            boolean none = max.allEndedAsExpected() && r.collectorCounts().getOrDefault("STUCK", 0) == 0;
            boolean met = max.endToEndThroughput() >= TARGET_THROUGHPUT && none;
            targets.add(new Target(">= 400 orders/s as fast as it goes, none lost or stuck", met ? "MET" : "MISSED",
                    String.format("%,.0f orders/s end to end over %.0f s; %,d not ended, %,d unexpected, %s stuck",
                            max.endToEndThroughput(), max.endToEndSeconds(), max.notEnded(), max.unexpectedEnds.sum(),
                            r.collectorCounts().getOrDefault("STUCK", 0))));
            double cpu = cpuMsPerOrder(max);
            targets.add(Double.isNaN(cpu)
                    ? new Target("<= 5 ms of CPU per order, whole suite and broker", "NOT MEASURED", "no CPU sample")
                    : new Target("<= 5 ms of CPU per order, whole suite and broker",
                            cpu <= TARGET_CPU_MS_PER_ORDER ? "MET" : "MISSED",
                            String.format("%.2f ms per order as fast as it goes", cpu)));
        }
        PhaseStats atRate = r.phases().stream().filter(p -> p.targetRate == TARGET_P99_RATE).findFirst().orElse(null);
        if (atRate == null || atRate.endToEnd().isEmpty()) {
            targets.add(new Target("p99 end to end <= 250 ms at 100 orders/s", "NOT MEASURED", "no phase at 100/s"));
        } else {
            double p99 = atRate.endToEnd().p99();
            boolean kept = atRate.offeredRate() >= 0.98 * TARGET_P99_RATE;
            RelayChain.Result chain = r.ceiling(Benchmark.ceilingAtRate(TARGET_P99_RATE));
            targets.add(new Target("p99 end to end <= 250 ms at 100 orders/s", p99 <= TARGET_P99_MS && kept ? "MET" : "MISSED",
                    String.format("p99 %.1f ms (p50 %.1f, max %.1f) at %,.0f orders/s offered%s", p99, atRate.endToEnd().p50(),
                            atRate.endToEnd().max(), atRate.offeredRate(), chain == null || chain.latency().isEmpty() ? ""
                                    : String.format("; bare chain p99 %.1f ms", chain.latency().p99()))));
        }
        if (suiteUsage().isEmpty()) {
            targets.add(new Target("each service <= 300 MB RSS under load", "NOT MEASURED", "no /proc or no pids"));
        } else {
            Map<String, Double> worst = new LinkedHashMap<>();
            suiteUsage().values().forEach(sample -> sample.processes().forEach((name, u) -> {
                if (ChoreoService.byModuleName(name).isPresent()) {
                    worst.merge(name, u.maxRssKb() / 1024.0, Math::max);
                }
            }));
            if (worst.isEmpty()) {
                targets.add(new Target("each service <= 300 MB RSS under load", "NOT MEASURED", "service pids unknown"));
            } else {
                Map.Entry<String, Double> top = worst.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
                long over = worst.values().stream().filter(mb -> mb > TARGET_RSS_MB).count();
                targets.add(new Target("each service <= 300 MB RSS under load", over == 0 ? "MET" : "MISSED",
                        String.format("largest %s %.0f MB; %d of %d services above 300 MB", top.getKey(), top.getValue(),
                                over, worst.size())));
            }
        }
        double ready = r.stack().readySeconds();
        targets.add(Double.isNaN(ready)
                ? new Target("whole local stack ready <= 20 s", "NOT MEASURED", "the stack was started elsewhere")
                : new Target("whole local stack ready <= 20 s", ready <= TARGET_READY_S ? "MET" : "MISSED",
                        String.format("%.1f s from broker start to every service healthy", ready)));
        return targets;
    }

    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("at", at.toString());
        json.put("machine", r.machine());
        json.put("mix", r.plan().mix().toString());
        json.put("stack", Map.of("bootstrapServers", r.stack().bootstrapServers(),
                "readySeconds", Double.isNaN(r.stack().readySeconds()) ? "unknown" : Latency.round(r.stack().readySeconds())));
        List<Object> phases = new ArrayList<>();
        for (PhaseStats p : r.phases()) {
            Map<String, Object> phase = p.toJson();
            ProcessSampler.Sample sample = r.usage().get(p.name);
            if (sample != null) {
                phase.put("resources", sample.toJson());
            }
            phases.add(phase);
        }
        json.put("phases", phases);
        json.put("recordSizes", r.recordSizes().toJson());
        Map<String, Object> ceiling = new LinkedHashMap<>();
        ceiling.put("relays", r.plan().ceilingRelays());
        ceiling.put("partitions", r.partitions());
        ceiling.put("lingerMs", r.plan().ceilingLingerMs());
        ceiling.put("sendErrors", r.ceilingSendErrors());
        ceiling.put("runs", r.ceiling().stream().map(RelayChain.Result::toJson).toList());
        if (r.usage().containsKey(Benchmark.CEILING_MAX)) {
            ceiling.put("resourcesMaxRun", r.usage().get(Benchmark.CEILING_MAX).toJson());
        }
        json.put("ceiling", ceiling);
        json.put("ratios", ratios().stream().map(m -> {
            Map<String, Object> copy = new LinkedHashMap<>(m);
            copy.keySet().removeIf(k -> k.endsWith("Text"));
            return copy;
        }).toList());
        json.put("cpu", cpuPerOrder());
        json.put("collector", r.collectorCounts());
        json.put("foreignEndEvents", r.foreignEndEvents());
        json.put("unreadableEndEvents", r.unreadableEndEvents());
        if (r.plan().evaluateTargets()) {
            json.put("targets", targets().stream().map(t -> Map.of("target", t.name(), "verdict", t.verdict(),
                    "measured", t.measured())).toList());
        }
        json.put("allOrdersEndedAsExpected", r.allOrdersEndedAsExpected());
        return json;
    }

    private static String rate(double rate) {
        return rate == 0 ? "max" : String.format("%.0f/s", rate);
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "-" : String.format("%.1f", value);
    }
}
