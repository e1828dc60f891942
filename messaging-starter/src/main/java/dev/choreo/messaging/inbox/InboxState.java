package dev.choreo.messaging.inbox;

import java.time.Clock;
import java.time.Instant;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether the service's event listener is waiting out a transient failure (its partitions paused), since when and
 * why; a health indicator ({@code eventInbox}, DOWN while paused) and the {@code choreo.inbox.paused} gauge read it.
 */
class InboxState implements HealthIndicator {

    private final Clock clock;
    private volatile Instant pausedSince;
    private volatile String cause;
    private volatile long attempts;

    InboxState(Clock clock) {
        this.clock = clock;
    }

    void transientFailure(Throwable failure) {
        if (pausedSince == null) {
            pausedSince = clock.instant();
        }
        cause = failure.toString();
        attempts++;
    }

    void healthy() {
        if (pausedSince != null) {
            pausedSince = null;
            cause = null;
            attempts = 0;
        }
    }

    double paused() {
        return pausedSince == null ? 0 : 1;
    }

    @Override
    public Health health() {
        Instant since = pausedSince;
        if (since == null) {
            return Health.up().build();
        }
        return Health.down()
                .withDetail("consumer", "paused: retrying a transient failure until it passes")
                .withDetail("pausedSince", since.toString())
                .withDetail("attempts", attempts)
                .withDetail("cause", String.valueOf(cause))
                .build();
    }
}
