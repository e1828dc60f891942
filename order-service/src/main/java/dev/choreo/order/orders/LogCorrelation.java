package dev.choreo.order.orders;

import dev.choreo.events.EventHeaders;
import org.slf4j.MDC;

/**
 * Names the order's correlation id in the log lines of a REST request, as the starter does for every consumed
 * record. Inside a listener the record's correlation id is already there and stays.
 */
final class LogCorrelation implements AutoCloseable {

    private final boolean added;

    private LogCorrelation(boolean added) {
        this.added = added;
    }

    static LogCorrelation of(String correlationId) {
        if (MDC.get(EventHeaders.CORRELATION_ID) != null) {
            return new LogCorrelation(false);
        }
        MDC.put(EventHeaders.CORRELATION_ID, correlationId);
        return new LogCorrelation(true);
    }

    @Override
    public void close() {
        if (added) {
            MDC.remove(EventHeaders.CORRELATION_ID);
        }
    }
}
