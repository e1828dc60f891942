package dev.choreo.collector;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work the collector repeats on a thread of its own (the deadline timer, the read-to-end check, the consumer-lag
 * measurement): a failed run is logged and the next one runs on time, because an exception would otherwise end the
 * thread silently. Its owner starts and stops it from its {@code SmartLifecycle}.
 */
public final class PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

    private final String name;
    private final Duration initialDelay;
    private final Duration period;
    private final Runnable work;
    private ScheduledExecutorService executor;

    /** @param name the thread's name, also in the log line of a failed run */
    public PeriodicTask(String name, Duration initialDelay, Duration period, Runnable work) {
        this.name = name;
        this.initialDelay = initialDelay;
        this.period = period;
        this.work = work;
    }

    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::runSafely, initialDelay.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void runSafely() {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.error("A run of {} failed; the next one runs on time", name, e);
        }
    }

    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    public synchronized boolean isRunning() {
        return executor != null;
    }
}
