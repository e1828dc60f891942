package dev.choreo.events;

/** An event in the life of one order; the order id is its record key. */
public interface OrderScopedEvent extends DomainEvent {

    String orderId();

    @Override
    default String streamKey() {
        return orderId();
    }
}
