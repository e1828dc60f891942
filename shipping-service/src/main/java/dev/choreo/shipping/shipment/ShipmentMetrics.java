package dev.choreo.shipping.shipment;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@code choreo_shipments_total{outcome=shipped|failed}}. Counted when the decision commits, so a handler that
 * rolls back and is retried counts once. Both series exist from startup, so rates start at zero.
 */
@Component
class ShipmentMetrics {

    static final String NAME = "choreo.shipments";

    private final Counter shipped;
    private final Counter failed;

    ShipmentMetrics(MeterRegistry registry) {
        this.shipped = counter(registry, "shipped");
        this.failed = counter(registry, "failed");
    }

    void shipped() {
        afterCommit(shipped);
    }

    void failed() {
        afterCommit(failed);
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder(NAME)
                .description("Shipping decisions on paid orders, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    private static void afterCommit(Counter counter) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            counter.increment();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                counter.increment();
            }
        });
    }
}
