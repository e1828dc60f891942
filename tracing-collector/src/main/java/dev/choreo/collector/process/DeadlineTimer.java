package dev.choreo.collector.process;

import dev.choreo.collector.PeriodicTask;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * The one thread that advances every shard's timer wheel each tick. A tick costs the deadlines that fell due in
 * it, not a pass over the processes in flight.
 */
public final class DeadlineTimer implements SmartLifecycle {

    private final PeriodicTask task;

    public DeadlineTimer(ProcessStore store, Duration tick) {
        this.task = new PeriodicTask("deadline-timer", tick, tick, store::advance);
    }

    @Override
    public void start() {
        task.start();
    }

    @Override
    public void stop() {
        task.stop();
    }

    @Override
    public boolean isRunning() {
        return task.isRunning();
    }
}
