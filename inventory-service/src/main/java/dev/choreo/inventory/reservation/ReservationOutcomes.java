package dev.choreo.inventory.reservation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@code choreo_inventory_reservations_total{outcome=reserved|rejected|released|shipped}}: the decisions
 * inventory took, counted when their transaction commits (a rolled-back attempt that is retried counts once).
 */
@Component
class ReservationOutcomes {

    enum Outcome { RESERVED, REJECTED, RELEASED, SHIPPED }

    private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);

    ReservationOutcomes(MeterRegistry registry) {
        for (Outcome outcome : Outcome.values()) {
            counters.put(outcome, Counter.builder("choreo.inventory.reservations")
                    .description("Reservation decisions of inventory-service")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
    }

    /** Counts {@code outcome} once the current transaction commits. */
    void afterCommit(Outcome outcome) {
        Counter counter = counters.get(outcome);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                counter.increment();
            }
        });
    }
}
