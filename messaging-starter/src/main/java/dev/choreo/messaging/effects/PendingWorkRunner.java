package dev.choreo.messaging.effects;

import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Does the work a service recorded in its database but must do outside any transaction: a call to a payment
 * provider, a message to a customer.
 *
 * <p>Why: a remote call made inside an event's transaction holds the row lock and a pooled connection for the
 * call's whole latency, and a call made in a transaction that then rolls back is made again when the event is
 * redelivered. So the handler only records the intent (a row, in its transaction), and this runner, woken after
 * that commit, makes the call and records the answer in a short transaction of its own. A crash between the call and
 * that record leaves the intent in place: the call is made again, with the same idempotency key, and the remote party
 * answers it with its first answer. That is exactly-once as the outside world sees it, provided the remote party
 * honours the key (payment providers do; for a message, its id).
 *
 * <p>One thread per runner. It runs a round when started, when woken after a commit that recorded work, and every
 * {@code sweepEvery} for work left behind by a crash, a failure or another instance. A round that fails is tried
 * again after a back-off (200 ms, doubling to 30 s): a remote party that is away delays the work, never drops it.
 */
public final class PendingWorkRunner implements SmartLifecycle {

    /** One round of work. */
    @FunctionalInterface
    public interface Round {

        /**
         * Does some of the pending work.
         *
         * @return how many items it did; another round follows at once while this is positive
         * @throws Exception when the work could not be done now (it stays pending and is tried after a back-off)
         */
        int run() throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(PendingWorkRunner.class);
    private static final Duration FIRST_BACK_OFF = Duration.ofMillis(200);
    private static final Duration MAX_BACK_OFF = Duration.ofSeconds(30);

    private final String name;
    private final Round round;
    private final Duration sweepEvery;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running;
    private Thread thread;

    public PendingWorkRunner(String name, Duration sweepEvery, Round round) {
        this.name = Objects.requireNonNull(name, "name");
        this.round = Objects.requireNonNull(round, "round");
        if (sweepEvery == null || sweepEvery.isNegative() || sweepEvery.isZero()) {
            throw new IllegalArgumentException(name + ": sweepEvery must be positive, was " + sweepEvery);
        }
        this.sweepEvery = sweepEvery;
    }

    /**
     * Asks for a round once the current transaction commits (nothing if it rolls back: then nothing was recorded);
     * outside a transaction, at once.
     */
    public void wakeAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake();
                }
            });
        } else {
            wake();
        }
    }

    /** Asks for a round now. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        // a first round at once: work a crash left behind is done without waiting for a sweep
        wake();
        thread = new Thread(this::work, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the inbox and the relay have started (their phases are lower), stopped before them. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }

    private void work() {
        Duration backOff = Duration.ZERO;
        int failures = 0;
        while (running) {
            try {
                if (backOff.isZero()) {
                    awaitWakeOrSweep();
                } else {
                    pause(backOff);
                }
                while (running && round.run() > 0) {
                    // more may be waiting: go on without waiting for a signal
                }
                if (failures > 0) {
                    log.info("{}: pending work done again after {} failed round(s)", name, failures);
                }
                backOff = Duration.ZERO;
                failures = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception | LinkageError e) {
                if (!running) {
                    return;
                }
                failures++;
                backOff = backOff.isZero() ? FIRST_BACK_OFF : min(backOff.multipliedBy(2), MAX_BACK_OFF);
                log.warn("{}: pending work failed ({} in a row), kept and tried again in {} ms: {}", name, failures,
                        backOff.toMillis(), e.toString());
            }
        }
    }

    private void awaitWakeOrSweep() throws InterruptedException {
        synchronized (signal) {
            long deadline = System.nanoTime() + sweepEvery.toNanos();
            while (!woken && running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                signal.wait(Math.max(1, left / 1_000_000));
            }
            woken = false;
        }
    }

    /** Waits out a back-off; a wake during it does not cut it short (the remote party was away a moment ago). */
    private void pause(Duration backOff) throws InterruptedException {
        synchronized (signal) {
            long deadline = System.nanoTime() + backOff.toNanos();
            for (long left = backOff.toNanos(); left > 0 && running; left = deadline - System.nanoTime()) {
                signal.wait(Math.max(1, left / 1_000_000));
            }
            woken = false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
