package dev.choreo.messaging.readiness;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code startup} health component, part of the {@code readiness} group: OUT_OF_SERVICE, naming what the
 * service waits for, until every {@link ReadinessCondition} holds; UP from then on, for good.
 *
 * <p>Spring Boot's own readiness state turns to accepting traffic as soon as the application has started, which is
 * before the service can do its job: its Kafka consumers have not joined their groups, the topics it publishes to
 * may have no leaders yet, order-service has not read the catalogue it prices orders from. A launcher or an
 * orchestrator that waits for readiness now waits for those too.
 *
 * <p>Once ready, a service stays ready: a broker or database outage later is what the outbox and the inbox absorb
 * (an order placed while the broker is away is kept and sent when it is back); the {@code outbox} and
 * {@code eventInbox} health indicators report it without taking the service out of traffic.
 */
class StartupHealthIndicator implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(StartupHealthIndicator.class);

    private final Map<String, ReadinessCondition> conditions;
    private final Clock clock;
    private volatile Instant readySince;

    /** @param conditions by bean name, the name the details show */
    StartupHealthIndicator(Map<String, ReadinessCondition> conditions, Clock clock) {
        this.conditions = Map.copyOf(conditions);
        this.clock = clock;
    }

    @Override
    public Health health() {
        Instant since = readySince;
        if (since == null) {
            Map<String, String> waitingFor = new TreeMap<>();
            conditions.forEach((name, condition) -> condition.waitingFor()
                    .ifPresent(what -> waitingFor.put(name, what)));
            if (!waitingFor.isEmpty()) {
                return Health.outOfService().withDetails(waitingFor).build();
            }
            since = clock.instant();
            readySince = since;
            log.info("Ready: {} hold", new TreeMap<>(conditions).keySet());
        }
        return Health.up().withDetail("readySince", since.toString()).build();
    }
}
