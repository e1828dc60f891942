package dev.choreo.loadgen;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * The live progress line: once a second on a terminal (rewritten in place), every five seconds otherwise (one
 * line each, for logs and CI).
 */
final class Progress implements AutoCloseable {

    private final PrintStream out;
    private final boolean terminal;
    private final boolean enabled;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "progress");
        thread.setDaemon(true);
        return thread;
    });
    private ScheduledFuture<?> task;
    private PhaseStats stats;
    private long startNanos;
    private long lastNanos;
    private long lastAttempted;
    private long lastEnded;
    private int lastLength;

    Progress(PrintStream out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
        this.terminal = System.console() != null && System.getenv("CI") == null;
    }

    synchronized void begin(PhaseStats phase, OrderTracker tracker) {
        this.stats = phase;
        this.startNanos = System.nanoTime();
        this.lastNanos = startNanos;
        this.lastAttempted = 0;
        this.lastEnded = 0;
        phase.intervalHistogram(); // reset
        if (enabled) {
            long period = terminal ? 1 : 5;
            task = timer.scheduleAtFixedRate(this::tick, period, period, TimeUnit.SECONDS);
        }
    }

    synchronized void note(String message) {
        clearLine();
        out.println("  " + message);
    }

    synchronized void end() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        if (enabled) {
            tick(true);
            if (terminal) {
                out.println();
                lastLength = 0;
            }
        }
    }

    private synchronized void tick() {
        tick(false);
    }

    private void tick(boolean last) {
        PhaseStats phase = stats;
        if (phase == null) {
            return;
        }
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
        long attempted = phase.attempted.sum();
        long ended = phase.ended.sum();
        Histogram interval = phase.intervalHistogram();
        String line = String.format("[%s] %4ds  sent %,d (%,.0f/s)  accepted %,d  ended %,d (%,.0f/s)  open %,d  errors %,d  e2e p50 %s p99 %s ms",
                phase.name, (now - startNanos) / 1_000_000_000L, attempted, (attempted - lastAttempted) / seconds,
                phase.accepted.sum(), ended, (ended - lastEnded) / seconds, phase.open.get(), phase.errorCount(),
                ms(interval, 50), ms(interval, 99));
        if (terminal) {
            String padded = line.length() < lastLength ? line + " ".repeat(lastLength - line.length()) : line;
            out.print("\r" + padded);
            out.flush();
            lastLength = line.length();
        } else {
            out.println(line);
        }
        lastNanos = now;
        lastAttempted = attempted;
        lastEnded = ended;
    }

    private void clearLine() {
        if (terminal && lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            lastLength = 0;
        }
    }

    /** The progress of a run that counts records rather than orders (the relay chain). */
    interface Line {
        void show(String name, long seconds, long sent, long received);

        void done(String name, long seconds, long sent, long received);
    }

    Line records() {
        return new Line() {
            private long lastReceived;
            private long lastNanos = System.nanoTime();
            private long lastPrinted;

            @Override
            public synchronized void show(String name, long seconds, long sent, long received) {
                if (!enabled || (!terminal && seconds - lastPrinted < 5)) {
                    return;
                }
                print(name, seconds, sent, received, false);
            }

            @Override
            public synchronized void done(String name, long seconds, long sent, long received) {
                if (enabled) {
                    print(name, seconds, sent, received, true);
                }
                lastReceived = 0;
                lastPrinted = 0;
                lastNanos = System.nanoTime();
            }

            private void print(String name, long seconds, long sent, long received, boolean last) {
                long now = System.nanoTime();
                if (seconds < lastPrinted) {
                    lastReceived = 0; // a new run
                }
                double rate = (received - lastReceived) / Math.max(1e-3, (now - lastNanos) / 1e9);
                String line = String.format("[%s] %4ds  injected %,d  through the chain %,d (%,.0f/s)  in the chain %,d",
                        name, seconds, sent, received, rate, sent - received);
                synchronized (Progress.this) {
                    if (terminal) {
                        String padded = line.length() < lastLength ? line + " ".repeat(lastLength - line.length()) : line;
                        out.print("\r" + padded);
                        lastLength = line.length();
                        if (last) {
                            out.println();
                            lastLength = 0;
                        }
                        out.flush();
                    } else {
                        out.println(line);
                    }
                }
                lastReceived = received;
                lastNanos = now;
                lastPrinted = seconds;
            }
        };
    }

    private static String ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : String.format("%.1f", h.getValueAtPercentile(percentile) / 1000.0);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
