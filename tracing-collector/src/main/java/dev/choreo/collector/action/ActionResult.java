package dev.choreo.collector.action;

/**
 * What an operator action published: the record that will show on the process's timeline once consumed.
 *
 * @param action    redrive or cancel
 * @param eventType the event re-published, or ProcessCancellationRequested
 * @param eventId   its event id (unchanged by a re-drive: the consumers' idempotency key)
 */
public record ActionResult(String action, String correlationId, String eventType, String eventId, String topic,
        int partition, long offset) {
}
