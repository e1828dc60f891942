package dev.choreo.order.orders;

/** What became of a request to cancel an order. */
public sealed interface CancellationOutcome {

    /** The order was in flight: it is marked and {@code OrderCancelled} is published, compensation follows. */
    record Requested(OrderView order) implements CancellationOutcome {
    }

    /** The order shipped, ended or is already being cancelled; nothing was published. */
    record Refused(OrderStatus status, String reason) implements CancellationOutcome {
    }

    record UnknownOrder(String orderId) implements CancellationOutcome {
    }
}
