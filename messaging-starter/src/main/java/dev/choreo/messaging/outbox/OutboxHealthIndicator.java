package dev.choreo.messaging.outbox;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** DOWN while the relay cannot send (broker away, topics missing, database away), with the cause and since when. */
class OutboxHealthIndicator implements HealthIndicator {

    private final OutboxRelay relay;

    OutboxHealthIndicator(OutboxRelay relay) {
        this.relay = relay;
    }

    @Override
    public Health health() {
        OutboxRelay.RelayState state = relay.state();
        Health.Builder health = state.failure() == null ? Health.up() : Health.down()
                .withDetail("failure", state.failure())
                .withDetail("failingSince", state.failingSince().toString());
        return health.withDetail("relay", state.phase()).build();
    }
}
