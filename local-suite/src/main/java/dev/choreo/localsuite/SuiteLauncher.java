package dev.choreo.localsuite;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts a set of {@link ServiceProcess}es together, reports each one as it comes up, and stops them all.
 * Used by the {@code LocalSuite} command and by the end-to-end test harness.
 */
public final class SuiteLauncher implements AutoCloseable {

    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Console console;
    private final Duration startupTimeout;
    private final Duration stopGrace;
    private boolean closed;

    public SuiteLauncher(Console console, Duration startupTimeout, Duration stopGrace) {
        this.console = console;
        this.startupTimeout = startupTimeout;
        this.stopGrace = stopGrace;
    }

    public synchronized SuiteLauncher add(ServiceProcess service) {
        if (services.putIfAbsent(service.name(), service) != null) {
            throw new IllegalArgumentException("Service " + service.name() + " added twice");
        }
        return this;
    }

    /**
     * Launches every service at once (the JVMs start in parallel) and waits until all are healthy.
     * If one fails, all are stopped and its {@link ServiceStartupException} is thrown.
     */
    public void startAll() {
        Collection<ServiceProcess> all;
        synchronized (this) {
            requireOpen();
            all = all();
            all.forEach(ServiceProcess::start);
        }
        ExecutorService waiters = Executors.newFixedThreadPool(Math.max(1, all.size()), runnable -> {
            Thread thread = new Thread(runnable, "health-wait");
            thread.setDaemon(true);
            return thread;
        });
        try {
            CompletionService<Void> ready = new ExecutorCompletionService<>(waiters);
            for (ServiceProcess service : all) {
                ready.submit(() -> {
                    Duration took = service.awaitHealthy(startupTimeout);
                    console.serviceStatus(service.name(), "UP in " + ServiceProcess.seconds(took));
                    return null;
                });
            }
            for (int i = 0; i < all.size(); i++) {
                ready.take().get();
            }
        } catch (ExecutionException e) {
            close();
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("Interrupted while starting the suite", e);
        } finally {
            waiters.shutdownNow();
        }
    }

    /** Starts one (stopped) service again and waits until it is healthy. */
    public void start(String name) {
        ServiceProcess service;
        synchronized (this) {
            requireOpen();
            service = get(name);
            service.start();
        }
        try {
            Duration took = service.awaitHealthy(startupTimeout);
            console.serviceStatus(name, "UP in " + ServiceProcess.seconds(took));
        } catch (ServiceStartupException e) {
            service.stop(stopGrace);
            throw e;
        }
    }

    public void stop(String name) {
        get(name).stop(stopGrace);
        console.serviceStatus(name, "stopped");
    }

    public synchronized ServiceProcess get(String name) {
        ServiceProcess service = services.get(name);
        if (service == null) {
            throw new NoSuchElementException("No service " + name + " in this suite; it has " + services.keySet());
        }
        return service;
    }

    public synchronized List<ServiceProcess> all() {
        return new ArrayList<>(services.values());
    }

    /**
     * Signals every service first and then waits, so the graceful shutdowns overlap instead of queueing.
     * Once closed (say by Ctrl-C in the middle of a start) no further process is launched, so none is orphaned.
     */
    @Override
    public void close() {
        List<ServiceProcess> running;
        synchronized (this) {
            closed = true;
            running = all().stream().filter(ServiceProcess::isAlive).toList();
        }
        running.forEach(ServiceProcess::signalStop);
        long deadline = System.nanoTime() + stopGrace.toNanos();
        running.forEach(service -> service.awaitStopped(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("The suite is shutting down");
        }
    }
}
