package dev.choreo.order.orders;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Business outcomes of orders, counted when the transaction that decided them commits (a rolled-back or
 * retried decision is not counted):
 * <ul>
 * <li>{@code choreo_orders_placed_total}</li>
 * <li>{@code choreo_orders_ended_total{status=COMPLETED|REJECTED|CANCELLED}}</li>
 * <li>{@code choreo_orders_cancellations_total{outcome=requested|refused, source=customer|operations}}</li>
 * </ul>
 */
@Component
class OrderMetrics {

    enum CancellationSource {
        CUSTOMER, OPERATIONS
    }

    private final MeterRegistry registry;
    private final Counter placed;

    OrderMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.placed = Counter.builder("choreo.orders.placed").description("Orders accepted by the API")
                .register(registry);
    }

    void placed() {
        afterCommit(placed::increment);
    }

    void ended(OrderStatus status) {
        afterCommit(() -> Counter.builder("choreo.orders.ended")
                .description("Orders that reached a terminal status")
                .tag("status", status.name())
                .register(registry).increment());
    }

    void cancellation(boolean accepted, CancellationSource source) {
        afterCommit(() -> Counter.builder("choreo.orders.cancellations")
                .description("Requests to cancel an order, by outcome and by who asked")
                .tag("outcome", accepted ? "requested" : "refused")
                .tag("source", source.name().toLowerCase(java.util.Locale.ROOT))
                .register(registry).increment());
    }

    private static void afterCommit(Runnable count) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            count.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                count.run();
            }
        });
    }
}
