package dev.choreo.localsuite;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * Keeps the suite's child JVMs running and lets a person or a script act on them (through {@link ControlServer}).
 *
 * <p>With restarts on ({@code --supervise}), a broker or service that dies when nobody asked it to is started
 * again with the same command line, and the console says so. {@link #stop(String)} means "leave it down";
 * {@link #kill9(String)} is a crash like any other, so a supervised unit comes back.
 *
 * <p>Every start, stop and restart of one unit runs on that unit's own thread, one at a time, so the control
 * interface and the watch loop never race; SIGKILL, SIGSTOP and SIGCONT act at once, even mid-start.
 * {@link #status()} says STARTING from launch until ready, UP only once a service is healthy or the broker serves.
 * {@link #scale(String, int)} runs extra instances of a service ({@code payment-service#2}, ...) made by the
 * factory given to {@link #add}.
 */
public final class Supervisor implements AutoCloseable {

    /** How long to wait before trying again when a restart failed, so a broken jar does not spin. */
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(200);

    private final Console console;
    private final boolean restartDead;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final Map<String, IntFunction<Supervised>> instanceFactories = new LinkedHashMap<>();
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "supervisor-watch");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    public Supervisor(Console console, boolean restartDead) {
        this.console = console;
        this.restartDead = restartDead;
    }

    /**
     * Supervises a unit that is running (or about to be started by the caller).
     *
     * @param instances makes instance {@code n >= 2} of this service for {@link #scale}; null if it cannot scale
     */
    public synchronized void add(Supervised unit, IntFunction<Supervised> instances) {
        if (slots.putIfAbsent(unit.name(), new Slot(unit)) != null) {
            throw new IllegalArgumentException(unit.name() + " is supervised already");
        }
        if (instances != null) {
            instanceFactories.put(unit.name(), instances);
        }
    }

    /** Starts the watch loop: from now on an unexpected death is noticed (and, with restarts on, repaired). */
    public void watch() {
        watcher.scheduleWithFixedDelay(this::checkAll, WATCH_INTERVAL.toMillis(), WATCH_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    public boolean restartsDead() {
        return restartDead;
    }

    /** SIGKILL, like a crash: with restarts on it comes back with the same command line. */
    public String kill9(String name) {
        Slot slot = slot(name);
        OptionalLong pid = slot.unit.pid();
        if (pid.isEmpty()) {
            return name + " is not running";
        }
        slot.killedOnPurpose = true;
        slot.unit.kill();
        console.serviceStatus(name, "killed with SIGKILL (pid " + pid.getAsLong() + ")");
        return name + " killed (pid " + pid.getAsLong() + ")" + (restartDead ? "; the supervisor restarts it" : "");
    }

    /** A hung process: SIGSTOP. It stays alive (the supervisor leaves it alone) until {@link #resume}. */
    public String pause(String name) {
        return signal(name, "STOP", "paused (SIGSTOP)");
    }

    public String resume(String name) {
        return signal(name, "CONT", "resumed (SIGCONT)");
    }

    /** Stops it gracefully and keeps it down until {@link #start}. */
    public String stop(String name) {
        Slot slot = slot(name);
        slot.wanted = false;
        return slot.run(() -> {
            slot.unit.stop();
            console.serviceStatus(name, "stopped");
            return name + " stopped";
        });
    }

    public String start(String name) {
        Slot slot = slot(name);
        slot.wanted = true;
        return slot.run(() -> {
            if (slot.unit.isAlive()) {
                return name + " is already running (pid " + slot.unit.pid().orElse(-1) + ")";
            }
            return name + " UP in " + timedStart(slot);
        });
    }

    public String restart(String name) {
        Slot slot = slot(name);
        slot.wanted = true;
        return slot.run(() -> {
            slot.unit.stop();
            return name + " restarted, UP in " + timedStart(slot);
        });
    }

    /** Runs {@code count} instances of a service: starts {@code name#2}... or stops the highest ones. */
    public String scale(String name, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("scale to at least 1 (stop " + name + " to take it away)");
        }
        IntFunction<Supervised> factory;
        synchronized (this) {
            factory = instanceFactories.get(name);
        }
        if (factory == null) {
            throw new IllegalArgumentException(slots.containsKey(name) ? name + " cannot be scaled" : unknown(name).getMessage());
        }
        List<String> done = new ArrayList<>();
        for (int instance = 2; instance <= Math.max(count, instances(name)); instance++) {
            String instanceName = instanceName(name, instance);
            if (instance <= count) {
                Slot slot;
                synchronized (this) {
                    requireOpen();
                    slot = slots.computeIfAbsent(instanceName, key -> new Slot(factory.apply(Integer.parseInt(
                            key.substring(key.lastIndexOf('#') + 1)))));
                }
                if (!slot.unit.isAlive()) {
                    done.add(start(instanceName) + " at " + slot.unit.address());
                }
            } else {
                Slot slot;
                synchronized (this) {
                    slot = slots.get(instanceName);
                }
                if (slot != null) {
                    done.add(stop(instanceName));
                    synchronized (this) {
                        slots.remove(instanceName);
                    }
                }
            }
        }
        return name + " runs " + count + " instance(s)" + (done.isEmpty() ? "" : ": " + String.join("; ", done));
    }

    public static String instanceName(String service, int instance) {
        return instance == 1 ? service : service + "#" + instance;
    }

    /** A unit as {@link #status()} lists it. */
    public record UnitStatus(String name, String state, OptionalLong pid, String address, int restarts) {
    }

    /** Every unit, in the order they were added: broker (and database) first, then the services. */
    public List<UnitStatus> units() {
        return snapshot().stream().map(slot -> new UnitStatus(slot.unit.name(),
                slot.starting ? "STARTING" : slot.unit.isAlive() ? (slot.paused ? "PAUSED" : "UP")
                        : (slot.wanted ? "DOWN" : "STOPPED"),
                slot.unit.pid(), slot.unit.address(), slot.restarts)).toList();
    }

    /** One line per unit: name, state, pid, address, restarts. */
    public String status() {
        StringBuilder text = new StringBuilder();
        text.append(String.format("%-24s %-8s %-8s %-28s %s%n", "NAME", "STATE", "PID", "ADDRESS", "RESTARTS"));
        for (UnitStatus unit : units()) {
            text.append(String.format("%-24s %-8s %-8s %-28s %d%n", unit.name(), unit.state(),
                    unit.pid().isPresent() ? String.valueOf(unit.pid().getAsLong()) : "-", unit.address(),
                    unit.restarts()));
        }
        return text.toString();
    }

    public Supervised get(String name) {
        return slot(name).unit;
    }

    /** How many times the supervisor restarted this unit after an unexpected death. */
    public int restarts(String name) {
        return slot(name).restarts;
    }

    /**
     * Stops watching (nothing is restarted any more) and stops the extra instances {@link #scale} started; the
     * units given to {@link #add} are their owner's to stop.
     */
    @Override
    public void close() {
        closed = true;
        watcher.shutdownNow();
        List<Slot> all = snapshot();
        all.forEach(slot -> slot.wanted = false);
        all.stream().filter(slot -> slot.unit.name().contains("#")).forEach(slot -> slot.unit.stop());
        all.forEach(slot -> slot.ops.shutdownNow());
    }

    private int instances(String name) {
        int count = 1;
        synchronized (this) {
            while (slots.containsKey(instanceName(name, count + 1))) {
                count++;
            }
        }
        return count;
    }

    private void checkAll() {
        if (closed) {
            return;
        }
        for (Slot slot : snapshot()) {
            if (slot.wanted && !slot.unit.isAlive() && slot.restartQueued.compareAndSet(false, true)) {
                if (!slot.reportedDeath) {
                    slot.reportedDeath = true;
                    if (!slot.killedOnPurpose) {
                        console.error(slot.unit.name() + " died unexpectedly (" + slot.unit.exitDescription() + ")"
                                + (restartDead ? "" : "; not restarting it (--no-supervise)"));
                    }
                }
                if (!restartDead || System.nanoTime() < slot.notBeforeNanos) {
                    slot.restartQueued.set(false);
                    continue;
                }
                slot.ops.execute(() -> restartDead(slot));
            }
        }
    }

    private void restartDead(Slot slot) {
        try {
            if (closed || !slot.wanted || slot.unit.isAlive()) {
                return;
            }
            slot.restarts++;
            String name = slot.unit.name();
            console.serviceStatus(name, "supervisor: restarting " + name + " with the same command line (restart #"
                    + slot.restarts + ", it ended with " + slot.unit.exitDescription() + ")");
            console.serviceStatus(name, "supervisor: " + name + " back UP in " + timedStart(slot));
        } catch (RuntimeException e) {
            slot.notBeforeNanos = System.nanoTime() + RETRY_AFTER_FAILURE.toNanos();
            console.error("supervisor: restarting " + slot.unit.name() + " failed, trying again in "
                    + RETRY_AFTER_FAILURE.toSeconds() + " s: " + e.getMessage());
        } finally {
            slot.restartQueued.set(false);
        }
    }

    private String timedStart(Slot slot) {
        long started = System.nanoTime();
        slot.paused = false;
        slot.starting = true;
        try {
            slot.unit.start();
        } finally {
            slot.starting = false;
        }
        slot.reportedDeath = false;
        slot.killedOnPurpose = false;
        return ServiceProcess.seconds(Duration.ofNanos(System.nanoTime() - started));
    }

    private String signal(String name, String signal, String what) {
        Slot slot = slot(name);
        OptionalLong pid = slot.unit.pid();
        if (pid.isEmpty()) {
            return name + " is not running";
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid.getAsLong()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid.getAsLong() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run kill -" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
        slot.paused = signal.equals("STOP");
        console.serviceStatus(name, what + ", pid " + pid.getAsLong());
        return name + " " + what;
    }

    private synchronized List<Slot> snapshot() {
        return new ArrayList<>(slots.values());
    }

    private synchronized Slot slot(String name) {
        Slot slot = slots.get(name);
        if (slot == null) {
            throw unknown(name);
        }
        return slot;
    }

    private NoSuchElementException unknown(String name) {
        return new NoSuchElementException("No " + name + " in this suite; it has " + String.join(", ", slots.keySet()));
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("The suite is shutting down");
        }
    }

    private final class Slot {
        final Supervised unit;
        final ExecutorService ops;
        final AtomicBoolean restartQueued = new AtomicBoolean();
        volatile boolean wanted = true;
        volatile boolean paused;
        /** Between launch and ready: alive, with a pid, but not serving yet. */
        volatile boolean starting;
        volatile boolean reportedDeath;
        volatile boolean killedOnPurpose;
        volatile long notBeforeNanos;
        volatile int restarts;

        Slot(Supervised unit) {
            this.unit = unit;
            this.ops = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "supervise-" + unit.name());
                thread.setDaemon(true);
                return thread;
            });
        }

        /** Runs one lifecycle step of this unit on its own thread, after any step already queued. */
        String run(java.util.concurrent.Callable<String> step) {
            requireOpen();
            Future<String> result = ops.submit(step);
            try {
                return result.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted", e);
            }
        }
    }
}
