package dev.choreo.messaging.readiness;

import java.util.Optional;

/**
 * Something a service needs before it can do its job. Every bean of this type is a part of the service's readiness
 * ({@code /actuator/health/readiness}): the service is OUT_OF_SERVICE until all of them hold at once. The bean's name
 * is how the readiness details name the condition.
 *
 * <p>The starter declares the ones every service shares (its topics have leaders, its inbox holds partitions); a
 * service adds its own by declaring a bean (order-service: its catalogue replica has read the catalogue topic).
 */
@FunctionalInterface
public interface ReadinessCondition {

    /**
     * Called by health checks: answer from state at hand, without I/O.
     *
     * @return empty once the condition holds, else what the service is still waiting for
     */
    Optional<String> waitingFor();
}
