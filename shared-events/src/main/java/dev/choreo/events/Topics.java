package dev.choreo.events;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Topic names. One topic per producing service keeps the order of one producer's events per order; all
 * domain topics share one partition count so an order's events land on the same partition number everywhere.
 */
public final class Topics {

    public static final String ORDER_EVENTS = "order-events";
    public static final String INVENTORY_EVENTS = "inventory-events";
    public static final String PAYMENT_EVENTS = "payment-events";
    public static final String SHIPPING_EVENTS = "shipping-events";
    public static final String NOTIFICATION_EVENTS = "notification-events";
    /** Operator commands (re-drive, cancel, timeout) published by the tracing collector. */
    public static final String OPERATIONS_EVENTS = "operations-events";
    /** Inventory's product catalogue, keyed by SKU, compacted: other services keep a replica. */
    public static final String PRODUCT_CATALOGUE = "product-catalogue";

    /** Suffix of the dead-letter topic of each topic, partition for partition. */
    public static final String DEAD_LETTER_SUFFIX = ".DLT";

    /** Every topic that carries the events of order processes. */
    public static final List<String> PROCESS_TOPICS = List.of(ORDER_EVENTS, INVENTORY_EVENTS, PAYMENT_EVENTS,
            SHIPPING_EVENTS, NOTIFICATION_EVENTS, OPERATIONS_EVENTS);

    /** Matches every process topic and its dead-letter topic, including ones added later. */
    public static final Pattern PROCESS_TOPIC_PATTERN = Pattern.compile(".+-events(\\.DLT)?");

    private Topics() {
    }

    public static String deadLetterOf(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }

    public static boolean isDeadLetter(String topic) {
        return topic.endsWith(DEAD_LETTER_SUFFIX);
    }
}
