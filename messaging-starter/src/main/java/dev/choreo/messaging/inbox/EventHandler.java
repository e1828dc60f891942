package dev.choreo.messaging.inbox;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares what a service reacts to: a method {@code (EventEnvelope<?> envelope, SomeEvent event)} on a bean, one
 * per event type. The starter subscribes to the type's topic, hands the method every event of that type exactly
 * once (in the transaction of its batch, with its state changes and published events), and skips the event types
 * nobody declared without reading them.
 *
 * <pre>{@code
 * @EventHandler("reserve-stock")
 * void onOrderPlaced(EventEnvelope<?> envelope, OrderPlaced placed) { ... }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface EventHandler {

    /**
     * The reaction's name, unique in the service and stable across releases: it scopes the idempotency records
     * ({@code processed_event.consumer}), so renaming it makes every event look new to it.
     */
    String value();
}
