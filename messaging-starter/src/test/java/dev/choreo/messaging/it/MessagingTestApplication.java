package dev.choreo.messaging.it;

import dev.choreo.events.DomainEvent;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import dev.choreo.events.inventory.InventoryUpdated;
import dev.choreo.events.inventory.ReservedLine;
import dev.choreo.events.order.OrderCancelled;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.messaging.inbox.IdempotentConsumer;
import dev.choreo.messaging.outbox.EventPublisher;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** A minimal service on the starter: it reacts to OrderPlaced with InventoryUpdated, as inventory would. */
@SpringBootApplication
class MessagingTestApplication {

    @Component
    static class OrderPlacedHandler {

        private final IdempotentConsumer inbox;
        private final EventPublisher events;
        private final JdbcClient jdbc;

        OrderPlacedHandler(IdempotentConsumer inbox, EventPublisher events, JdbcClient jdbc) {
            this.inbox = inbox;
            this.events = events;
            this.jdbc = jdbc;
        }

        @KafkaListener(topics = Topics.ORDER_EVENTS)
        void onOrderEvent(EventEnvelope<DomainEvent> envelope) {
            if (envelope.payload() instanceof OrderPlaced placed) {
                inbox.handleOnce("reserve", envelope, e -> reserve(e, placed));
            }
        }

        private void reserve(EventEnvelope<?> cause, OrderPlaced placed) {
            if (placed.orderId().startsWith("fail-")) {
                throw new IllegalStateException("simulated handler failure for " + placed.orderId());
            }
            jdbc.sql("INSERT INTO handled_order (order_id) VALUES (?)").param(placed.orderId()).update();
            events.react(cause, new InventoryUpdated(placed.orderId(), "res-" + placed.orderId(),
                    placed.lines().stream().map(l -> new ReservedLine(l.sku(), l.quantity())).toList()));
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
