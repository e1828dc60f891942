package dev.choreo.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Samples the resident memory (VmRSS) and CPU time of the suite's JVMs from {@code /proc} once a second during a
 * phase, and the machine's CPU use and load average. Linux only; elsewhere it records nothing.
 */
final class ProcessSampler implements AutoCloseable {

    /** Per process over one phase. */
    record Usage(long pid, long maxRssKb, long lastRssKb, double cpuSeconds, double cpuCores, boolean alive) {

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("pid", pid);
            json.put("maxRssMb", Latency.round(maxRssKb / 1024.0));
            json.put("rssAtEndMb", Latency.round(lastRssKb / 1024.0));
            json.put("cpuSeconds", Latency.round(cpuSeconds));
            json.put("cpuCores", Latency.round(cpuCores));
            json.put("aliveAtEnd", alive);
            return json;
        }
    }

    /** A whole phase: each process, plus the machine. */
    record Sample(Map<String, Usage> processes, double seconds, double machineBusyPercent, double loadAverageStart,
            double loadAverageEnd) {

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            Map<String, Object> byName = new LinkedHashMap<>();
            processes.forEach((name, usage) -> byName.put(name, usage.toJson()));
            json.put("processes", byName);
            json.put("seconds", Latency.round(seconds));
            json.put("machineCpuBusyPercent", Latency.round(machineBusyPercent));
            json.put("loadAverage1mStart", loadAverageStart);
            json.put("loadAverage1mEnd", loadAverageEnd);
            return json;
        }
    }

    private static final Path PROC = Path.of("/proc");

    private final Map<String, Long> pids;
    private final double ticksPerSecond;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "process-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, long[]> maxRss = new LinkedHashMap<>();
    private final Map<String, Long> cpuTicksAtStart = new LinkedHashMap<>();
    private ScheduledFuture<?> task;
    private long startNanos;
    private long[] machineAtStart;
    private double loadAtStart;

    /** @param pids process name → pid; the generator's own JVM is added as {@code load-generator} */
    ProcessSampler(Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>(pids);
        this.pids.putIfAbsent("load-generator", ProcessHandle.current().pid());
        this.ticksPerSecond = clockTicks();
    }

    static boolean supported() {
        return Files.isReadable(PROC.resolve("self/status"));
    }

    synchronized void start() {
        maxRss.clear();
        cpuTicksAtStart.clear();
        startNanos = System.nanoTime();
        machineAtStart = machineTicks();
        loadAtStart = loadAverage();
        pids.forEach((name, pid) -> {
            maxRss.put(name, new long[] {0, 0});
            cpuTicksAtStart.put(name, cpuTicks(pid));
        });
        sample();
        task = timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    synchronized Sample stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        sample();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Usage> usage = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            long ticks = cpuTicks(pid);
            long startTicks = cpuTicksAtStart.getOrDefault(name, -1L);
            double cpu = ticks < 0 || startTicks < 0 ? Double.NaN : (ticks - startTicks) / ticksPerSecond;
            long[] rss = maxRss.get(name);
            usage.put(name, new Usage(pid, rss[0], rss[1], cpu, cpu / seconds, ticks >= 0));
        });
        long[] machine = machineTicks();
        double busy = Double.NaN;
        if (machine != null && machineAtStart != null && machine[1] > machineAtStart[1]) {
            busy = 100.0 * (machine[0] - machineAtStart[0]) / (machine[1] - machineAtStart[1]);
        }
        return new Sample(usage, seconds, busy, loadAtStart, loadAverage());
    }

    private synchronized void sample() {
        pids.forEach((name, pid) -> {
            long rss = rssKb(pid);
            long[] max = maxRss.get(name);
            if (max != null && rss >= 0) {
                max[0] = Math.max(max[0], rss);
                max[1] = rss;
            }
        });
    }

    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(pid + "/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /** utime + stime of the process, in clock ticks; -1 if it is gone. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(pid + "/stat"), StandardCharsets.UTF_8);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            // after "pid (comm) ": field 3 (state) is index 0, so utime (14) is 11 and stime (15) is 12
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {busy, total} jiffies of all CPUs. */
    private static long[] machineTicks() {
        try {
            String first = Files.readAllLines(PROC.resolve("stat"), StandardCharsets.UTF_8).get(0);
            String[] f = first.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(PROC.resolve("loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static double clockTicks() {
        try {
            Process getconf = new ProcessBuilder(List.of("getconf", "CLK_TCK")).redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            getconf.waitFor(2, TimeUnit.SECONDS);
            return Double.parseDouble(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
