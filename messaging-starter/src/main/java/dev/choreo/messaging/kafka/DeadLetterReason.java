package dev.choreo.messaging.kafka;

import dev.choreo.events.InvalidEventException;

/** Names why a record was dead-lettered, for the {@value #HEADER} header the tracing collector shows. */
public final class DeadLetterReason {

    public static final String HEADER = "dlt-reason";

    private DeadLetterReason() {
    }

    public static String of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidEventException invalid) {
                return invalid.reason().name();
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "HANDLER_FAILED: " + root.getClass().getSimpleName();
    }
}
