package dev.choreo.messaging.inbox;

import dev.choreo.events.EventEnvelope;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * At-least-once delivery, exactly-once effect. The handler's state changes, the events it publishes (outbox)
 * and the record of this delivery commit in one database transaction; a redelivered or duplicated event finds
 * its record and is skipped. One handler is one {@code consumer} name; several handlers may see the same event.
 */
public class IdempotentConsumer {

    private static final Logger log = LoggerFactory.getLogger(IdempotentConsumer.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public IdempotentConsumer(JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Runs {@code handler} once per event id and consumer name.
     *
     * @return {@code true} if the handler ran, {@code false} if this event had already been handled
     */
    public <E extends EventEnvelope<?>> boolean handleOnce(String consumer, E envelope, Consumer<E> handler) {
        Boolean handled = transactions.execute(status -> {
            // The primary key decides between concurrent duplicates; the loser inserts nothing.
            int inserted = jdbc.sql("""
                    INSERT INTO processed_event (consumer, event_id, processed_at) VALUES (?, ?, ?)
                    ON CONFLICT DO NOTHING""")
                    .params(consumer, envelope.eventId(), Timestamp.from(clock.instant()))
                    .update();
            if (inserted == 0) {
                return false;
            }
            handler.accept(envelope);
            return true;
        });
        if (!Boolean.TRUE.equals(handled)) {
            log.info("Skipped {} {}: already handled by {}", envelope.eventType(), envelope.eventId(), consumer);
            return false;
        }
        return true;
    }
}
