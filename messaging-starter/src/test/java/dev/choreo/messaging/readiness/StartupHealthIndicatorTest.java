package dev.choreo.messaging.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class StartupHealthIndicatorTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-02T10:15:30Z"), ZoneOffset.UTC);

    @Test
    void outOfServiceNamingWhatItWaitsForUntilEveryConditionHoldsThenUpForGood() {
        AtomicReference<String> topics = new AtomicReference<>("no leader yet for order-events-0");
        AtomicReference<String> inbox = new AtomicReference<>("no partition assigned yet");
        var startup = new StartupHealthIndicator(Map.of(
                "outboxTopics", () -> Optional.ofNullable(topics.get()),
                "inboxPartitions", () -> Optional.ofNullable(inbox.get())), clock);

        Health waiting = startup.health();
        assertThat(waiting.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(waiting.getDetails()).containsExactly(
                Map.entry("inboxPartitions", "no partition assigned yet"),
                Map.entry("outboxTopics", "no leader yet for order-events-0"));

        topics.set(null);
        assertThat(startup.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(startup.health().getDetails()).containsOnlyKeys("inboxPartitions");

        inbox.set(null);
        assertThat(startup.health().getStatus()).isEqualTo(Status.UP);
        assertThat(startup.health().getDetails()).containsEntry("readySince", "2026-11-02T10:15:30Z");

        // a rebalance or an outage later does not take a service that was ready out of traffic
        inbox.set("no partition assigned yet");
        assertThat(startup.health().getStatus()).isEqualTo(Status.UP);
    }
}
