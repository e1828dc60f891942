package dev.choreo.collector.process;

/**
 * One consumed record, decoded to what the process model keeps: names as vocabulary indexes, ids as longs.
 *
 * @param kind          {@link #EVENT}, {@link #DEAD_LETTER} or {@link #REDRIVE}
 * @param correlationId the process it belongs to
 * @param key           the record key (the order id)
 * @param appendedAt    when the record became readable in Kafka, on the collector's clock (see the ingest
 *                      package's AppendClock): deadlines count from here
 * @param occurredAt    when the producer says the event occurred (its clock): timeline order and step durations
 * @param discriminator the payload field the flow's ending reads (e.g. the notification kind), or null
 * @param live          false while the record is replayed below the offset a previous run already counted
 * @param deadLetter    the dead-letter headers, for {@link #DEAD_LETTER} only
 * @param searchKeys    business keys from the payload, {@code field, value} pairs (the configured search fields), or
 *                      null
 */
public record IngestedEvent(
        int kind,
        String correlationId,
        String key,
        int type,
        int producer,
        int topic,
        int partition,
        long offset,
        long appendedAt,
        long occurredAt,
        long eventIdHigh,
        long eventIdLow,
        long causationHigh,
        long causationLow,
        long traceHigh,
        long traceLow,
        String discriminator,
        boolean live,
        DeadLetter deadLetter,
        String[] searchKeys) {

    public static final int EVENT = 0;
    public static final int DEAD_LETTER = 1;
    /** A record the collector re-published for an operator: same event id, marked by a header. */
    public static final int REDRIVE = 2;
}
