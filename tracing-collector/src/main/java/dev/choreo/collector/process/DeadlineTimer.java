package dev.choreo.collector.process;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The one thread that advances every shard's timer wheel each tick. A tick costs the deadlines that fell due in
 * it, not a pass over the processes in flight.
 */
public final class DeadlineTimer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeadlineTimer.class);

    private final ProcessStore store;
    private final Duration tick;
    private ScheduledExecutorService executor;

    public DeadlineTimer(ProcessStore store, Duration tick) {
        this.store = store;
        this.tick = tick;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "deadline-timer");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::advance, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void advance() {
        try {
            store.advance();
        } catch (RuntimeException e) {
            // a failed tick must not end the timer thread: the next tick retries
            log.error("Advancing the deadline timers failed", e);
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
