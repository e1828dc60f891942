package dev.choreo.events;

/**
 * A fact one service publishes. Every event belongs to one stream (an order, a product) whose id is the
 * Kafka record key, so all events of that stream land on the same partition number of every topic.
 */
public interface DomainEvent {

    /** The Kafka record key: the order id for order events, the SKU for catalogue events. */
    String streamKey();
}
