package dev.choreo.loadgen;

import java.io.PrintStream;
import java.net.Authenticator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Places orders over REST and follows each to its end event. Open loop at a fixed rate (the sender keeps its
 * schedule whatever the latency, up to the in-flight bounds), or as fast as the suite takes them (bounded by the
 * number of orders open end to end, so the throughput measured is what the suite finishes, not what it queues).
 */
final class LoadGenerator implements AutoCloseable {

    /** One phase of load. {@code rate} 0 = as fast as the suite takes them. {@code count} 0 = run for {@code duration}. */
    record Phase(String name, double rate, Duration duration, long count, Duration drainTimeout) {

        String describe() {
            String pace = rate > 0 ? String.format("%.0f orders/s", rate) : "as fast as the suite takes them";
            String length = count > 0 ? count + " orders" : seconds(duration);
            return name + ": " + pace + " for " + length;
        }
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI ordersUri;
    private final OrderRequests requests;
    private final OrderMix mix;
    private final OrderTracker tracker;
    private final EndEvents endEvents;
    private final ExecutorService httpExecutor;
    private final HttpClient http;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final Progress progress;
    /** Numbers every order of the run (all phases), so the mix cycles on across phases. */
    private final AtomicLong sequence = new AtomicLong();

    /** @param operatorAuthenticator who the generator is to order-service: it places orders for many customers */
    LoadGenerator(URI orderServiceUrl, OrderRequests requests, OrderMix mix, OrderTracker tracker, EndEvents endEvents,
            int maxInFlight, Progress progress, Authenticator operatorAuthenticator) {
        this.ordersUri = orderServiceUrl.resolve("/orders");
        this.requests = requests;
        this.mix = mix;
        this.tracker = tracker;
        this.endEvents = endEvents;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
        this.progress = progress;
        this.httpExecutor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "http-callbacks");
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(httpExecutor)
                .authenticator(operatorAuthenticator)
                .build();
    }

    HttpClient http() {
        return http;
    }

    /**
     * Places one order of each outcome of the mix and waits until each ends, so the measured phases start on a
     * suite whose catalogue replica, consumers and topics are all in place. Retries while the suite is not ready.
     */
    void awaitSuiteReady(Duration patience, PrintStream log) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        PhaseStats probe = new PhaseStats("readiness probe", 0);
        for (Scenario scenario : Scenario.values()) {
            if (!mix.includes(scenario)) {
                continue;
            }
            while (true) {
                HttpResponse<String> response = null;
                String problem;
                try {
                    response = http.send(post(requests.body(scenario, 0)), HttpResponse.BodyHandlers.ofString());
                    problem = "HTTP " + response.statusCode() + " " + abbreviate(response.body());
                } catch (java.io.IOException e) {
                    problem = e.toString();
                }
                if (response != null && response.statusCode() == 201) {
                    String orderId = OrderRequests.orderIdOf(response.body());
                    tracker.openPermits().acquire();
                    probe.sending(scenario, System.nanoTime(), 0);
                    tracker.accepted(orderId, new OrderTracker.Placed(scenario, System.nanoTime(), epochMicros(), probe));
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The suite does not accept orders at " + ordersUri + ": " + problem);
                }
                Thread.sleep(1_000);
            }
        }
        while (probe.ended.sum() < probe.accepted.sum()) {
            endEvents.requireRunning();
            if (System.nanoTime() > deadline) {
                tracker.abandon(probe);
                throw new IllegalStateException("The suite accepted orders but " + probe.notEnded()
                        + " of them did not end within " + seconds(patience) + ", e.g. " + probe.notEndedSample());
            }
            Thread.sleep(100);
        }
        if (probe.unexpectedEnds.sum() > 0) {
            log.println("WARNING: readiness probe orders ended unexpectedly: " + probe.unexpected());
        }
        tracker.dropForeignEnds();
    }

    /** Runs one phase to its end: sends, waits for the last responses, then for the end events (drain). */
    PhaseStats run(Phase phase) throws InterruptedException {
        PhaseStats stats = new PhaseStats(phase.name(), phase.rate());
        long count = phase.count() > 0 ? phase.count()
                : phase.rate() > 0 ? Math.round(phase.rate() * phase.duration().toMillis() / 1000.0) : Long.MAX_VALUE;
        long intervalNanos = phase.rate() > 0 ? Math.round(1e9 / phase.rate()) : 0;
        // bounded in time even when the suite cannot keep up: a fixed-rate phase stops sending at twice its length
        Duration sendLimit = phase.rate() > 0
                ? Duration.ofMillis(Math.round(count * 1000.0 / phase.rate())).multipliedBy(2).plusSeconds(5)
                : phase.duration() != null && !phase.duration().isZero() ? phase.duration() : Duration.ofHours(1);
        progress.begin(stats, tracker);
        long start = System.nanoTime();
        long stopSendingAt = start + sendLimit.toNanos();
        try {
            for (long i = 0; i < count; i++) {
                long due = start + i * intervalNanos;
                long now = System.nanoTime();
                if (now - stopSendingAt > 0) {
                    if (phase.rate() > 0) {
                        progress.note("stopped sending after " + seconds(sendLimit) + ": the suite could not take "
                                + String.format("%.0f", phase.rate()) + " orders/s (" + i + " of " + count + " placed)");
                    }
                    break;
                }
                if (intervalNanos > 0 && due - now > 0) {
                    LockSupport.parkNanos(due - now);
                }
                if (!acquire(tracker.openPermits(), stopSendingAt) || !acquire(inFlight, stopSendingAt)) {
                    if (phase.rate() > 0) {
                        continue; // the loop's time check reports it
                    }
                    break;
                }
                long sentNanos = System.nanoTime();
                long n = sequence.getAndIncrement();
                Scenario scenario = mix.scenarioOf(n);
                stats.sending(scenario, sentNanos, intervalNanos > 0 ? Math.max(0, sentNanos - due) : 0);
                send(stats, scenario, n, sentNanos);
                if ((i & 1023) == 0) {
                    endEvents.requireRunning();
                }
            }
            awaitResponses();
            // An overloaded suite drains a backlog slowly but steadily: give up only once no order has ended
            // for the drain timeout, so a slow suite is measured as slow, not as losing orders.
            long open = stats.open.get();
            long drainDeadline = System.nanoTime() + phase.drainTimeout().toNanos();
            while (open > 0 && System.nanoTime() - drainDeadline < 0) {
                endEvents.requireRunning();
                Thread.sleep(20);
                long stillOpen = stats.open.get();
                if (stillOpen < open) {
                    drainDeadline = System.nanoTime() + phase.drainTimeout().toNanos();
                }
                open = stillOpen;
            }
            List<String> abandoned = tracker.abandon(stats);
            if (!abandoned.isEmpty()) {
                progress.note(abandoned.size() + " accepted orders did not reach an end event: none ended in the "
                        + seconds(phase.drainTimeout()) + " before giving up");
            }
            tracker.dropForeignEnds();
        } finally {
            stats.finished(System.nanoTime());
            progress.end();
        }
        return stats;
    }

    private void send(PhaseStats stats, Scenario scenario, long n, long sentNanos) {
        long sentEpochMicros = epochMicros();
        http.sendAsync(post(requests.body(scenario, n)), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, error) -> {
                    try {
                        stats.posted((System.nanoTime() - sentNanos) / 1_000);
                        String orderId = response != null && response.statusCode() == 201
                                ? OrderRequests.orderIdOf(response.body()) : null;
                        if (orderId != null) {
                            tracker.accepted(orderId, new OrderTracker.Placed(scenario, sentNanos, sentEpochMicros, stats));
                        } else {
                            stats.error(error != null ? describe(error)
                                    : response.statusCode() == 201 ? "201 without orderId" : "HTTP " + response.statusCode());
                            tracker.failed();
                        }
                    } finally {
                        inFlight.release();
                    }
                });
    }

    private HttpRequest post(String body) {
        return HttpRequest.newBuilder(ordersUri)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static boolean acquire(Semaphore semaphore, long stopAtNanos) throws InterruptedException {
        while (!semaphore.tryAcquire(100, TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() - stopAtNanos > 0) {
                return false;
            }
        }
        return true;
    }

    /** Waits until every POST of the phase was answered (or timed out). */
    private void awaitResponses() throws InterruptedException {
        if (inFlight.tryAcquire(maxInFlight, REQUEST_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
            inFlight.release(maxInFlight);
        }
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof HttpTimeoutException) {
            return "timeout";
        }
        return cause.getClass().getSimpleName();
    }

    static long epochMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    private static String abbreviate(String text) {
        String oneLine = text == null ? "" : text.replaceAll("\\s+", " ");
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }

    static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : String.format("%.1f s", duration.toMillis() / 1000.0);
    }

    @Override
    public void close() {
        httpExecutor.shutdownNow();
    }
}
