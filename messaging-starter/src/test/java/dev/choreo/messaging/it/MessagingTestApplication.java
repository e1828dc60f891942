package dev.choreo.messaging.it;

import dev.choreo.events.EventEnvelope;
import dev.choreo.events.inventory.InventoryUpdated;
import dev.choreo.events.inventory.ReservedLine;
import dev.choreo.events.order.OrderCancelled;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.messaging.inbox.EventHandler;
import dev.choreo.messaging.inbox.TransientFailure;
import dev.choreo.messaging.outbox.EventPublisher;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A minimal service on the starter, named order-service (spring.application.name): it places orders (OrderPlaced, which
 * its own inbox then trusts, order-service owning the type) and reacts to OrderPlaced with InventoryUpdated, as
 * inventory would (read back by the tests' plain reader, which does not check ownership). Order ids
 * steer it: {@code fail-…} always fails, {@code flaky-N-…} fails transiently N times and then passes, {@code slow-…}
 * takes 10 ms. With {@code -Dchoreo.test.trace-handling=true} it prints {@code handling <orderId>} inside the
 * handler's transaction, so a test knows a batch is under way before it commits.
 */
@SpringBootApplication
class MessagingTestApplication {

    @Component
    static class Reactions {

        private final EventPublisher events;
        private final JdbcClient jdbc;
        final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        /** Counted after commit, as the services count their metrics: only the attempt that committed counts. */
        final Map<String, AtomicInteger> committed = new ConcurrentHashMap<>();

        Reactions(EventPublisher events, JdbcClient jdbc) {
            this.events = events;
            this.jdbc = jdbc;
        }

        @EventHandler("reserve")
        void onOrderPlaced(EventEnvelope<?> cause, OrderPlaced placed) throws InterruptedException {
            String orderId = placed.orderId();
            if (Boolean.getBoolean("choreo.test.trace-handling")) {
                System.out.println("handling " + orderId);
            }
            if (orderId.startsWith("slow-")) {
                Thread.sleep(10);
            }
            int attempt = attempts.computeIfAbsent(orderId, id -> new AtomicInteger()).incrementAndGet();
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    committed.computeIfAbsent(orderId, id -> new AtomicInteger()).incrementAndGet();
                }
            });
            // the row is written before the failure: a failed attempt must leave nothing behind
            jdbc.sql("INSERT INTO handled_order (order_id) VALUES (?)").param(orderId).update();
            if (orderId.startsWith("fail-")) {
                throw new IllegalStateException("simulated handler failure for " + orderId);
            }
            if (orderId.startsWith("flaky-") && attempt <= Integer.parseInt(orderId.split("-")[1])) {
                throw new GatewayBusy("simulated transient failure " + attempt + " for " + orderId);
            }
            events.react(cause, new InventoryUpdated(orderId, "res-" + orderId,
                    placed.lines().stream().map(l -> new ReservedLine(l.sku(), l.quantity())).toList()));
        }
    }

    static class GatewayBusy extends RuntimeException implements TransientFailure {
        GatewayBusy(String message) {
            super(message);
        }
    }

    @Component
    static class OrderPlacing {

        private final EventPublisher events;

        OrderPlacing(EventPublisher events) {
            this.events = events;
        }

        @Transactional
        EventEnvelope<OrderPlaced> place(OrderPlaced order) {
            return events.startProcess(order);
        }

        @Transactional
        EventEnvelope<OrderCancelled> cancel(EventEnvelope<OrderPlaced> placed) {
            return events.react(placed, new OrderCancelled(placed.payload().orderId(), "changed my mind", "customer"));
        }
    }
}
