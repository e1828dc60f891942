package dev.choreo.events.operations;

import dev.choreo.events.OrderScopedEvent;

/** Operator commands published by the tracing collector on {@link dev.choreo.events.Topics#OPERATIONS_EVENTS}. */
public sealed interface OperationsEvent extends OrderScopedEvent permits ProcessCancellationRequested {
}
