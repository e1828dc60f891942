package dev.choreo.messaging.inbox;

import dev.choreo.events.DomainEvent;
import dev.choreo.events.EventCatalog;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventHeaders;
import dev.choreo.events.EventJson;
import dev.choreo.events.InvalidEventException;
import dev.choreo.messaging.MessagingProperties;
import dev.choreo.messaging.tracing.TraceContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The service's one event listener: a poll's records in one database transaction, a savepoint per record.
 *
 * <ul>
 * <li>A record whose {@code eventType} header names a type the service does not react to is skipped unread; so is
 * one without the header whose JSON names such a type (of any version).</li>
 * <li>A record is handled once per event id: the record of the delivery ({@code processed_event}), the handler's
 * state changes and the events it publishes (outbox) commit together with the rest of the batch.</li>
 * <li>A handler that fails deterministically is rolled back to its savepoint and tried again a bounded number of
 * times; then the record goes to its dead-letter topic (through the outbox, in the same transaction) and the
 * batch goes on. An invalid event goes there at once.</li>
 * <li>A transient failure (database away, lock or statement timeout, {@link TransientFailure}) commits what came
 * before the record and hands the record back to the container: the partitions are paused for a growing
 * back-off and the record is tried again until it passes. It is never dead-lettered.</li>
 * </ul>
 * Retries of deterministic failures are counted here, per record, not by the container's error handler, whose
 * per-partition counters can be reset by another partition's successful batch (spring-kafka GH-4371).
 */
class EventInbox implements BatchMessageListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(EventInbox.class);
    private static final String MDC_CORRELATION_ID = "correlationId";
    private static final String TRANSIENT_FAILURES =
            "transient failures; the consumer pauses and the records are tried again until they pass";

    private final EventHandlers handlers;
    private final PlatformTransactionManager transactions;
    private final JdbcClient jdbc;
    private final DeadLetters deadLetters;
    private final InboxState state;
    private final MessagingProperties.Retry retry;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    EventInbox(EventHandlers handlers, PlatformTransactionManager transactions, JdbcClient jdbc,
            DeadLetters deadLetters, InboxState state, MessagingProperties.Retry retry, Clock clock,
            MeterRegistry meters) {
        this.handlers = handlers;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.deadLetters = deadLetters;
        this.state = state;
        this.retry = retry;
        this.clock = clock;
        this.meters = meters;
        // registered up front, so a dashboard shows 0 rather than nothing
        counter("choreo.inbox.transient.failures", TRANSIENT_FAILURES);
    }

    @Override
    public void onMessage(List<ConsumerRecord<String, byte[]>> records) {
        TransactionStatus transaction = null;
        ConsumerRecord<String, byte[]> firstInTransaction = null;
        for (ConsumerRecord<String, byte[]> record : records) {
            String type = header(record, EventHeaders.EVENT_TYPE);
            if (type != null && handlers.forType(type) == null) {
                count("ignored", type);
                continue;
            }
            if (transaction == null) {
                firstInTransaction = record;
                transaction = begin(record);
            }
            try {
                handleOrDeadLetter(record, transaction);
            } catch (TransientRecordFailure failure) {
                commitBefore(transaction, firstInTransaction, record, failure.getCause());
            } catch (RuntimeException | Error unexpected) {
                // not a handler's failure (those are caught per record): nothing of this poll may half-commit
                rollBack(transaction);
                throw pauseAndRetryFrom(firstInTransaction, unexpected);
            }
        }
        if (transaction != null) {
            try {
                transactions.commit(transaction);
            } catch (RuntimeException e) {
                throw pauseAndRetryFrom(firstInTransaction, e);
            }
        }
        state.healthy();
    }

    private TransactionStatus begin(ConsumerRecord<String, byte[]> record) {
        try {
            return transactions.getTransaction(new DefaultTransactionDefinition());
        } catch (RuntimeException e) {
            throw pauseAndRetryFrom(record, e);
        }
    }

    private void rollBack(TransactionStatus transaction) {
        try {
            transactions.rollback(transaction);
        } catch (RuntimeException e) {
            log.debug("Rollback after an unexpected failure failed too: {}", e.toString());
        }
    }

    /** Commits the records handled before {@code failed}, then has the container pause and redeliver from it. */
    private void commitBefore(TransactionStatus transaction, ConsumerRecord<String, byte[]> first,
            ConsumerRecord<String, byte[]> failed, Throwable cause) {
        try {
            transactions.commit(transaction);
        } catch (RuntimeException e) {
            throw pauseAndRetryFrom(first, cause);
        }
        throw pauseAndRetryFrom(failed, cause);
    }

    private BatchListenerFailedException pauseAndRetryFrom(ConsumerRecord<String, byte[]> record, Throwable cause) {
        state.transientFailure(cause);
        counter("choreo.inbox.transient.failures", TRANSIENT_FAILURES).increment();
        log.warn("Transient failure at {}-{}@{}, paused and retried: {}", record.topic(), record.partition(),
                record.offset(), cause.toString());
        return new BatchListenerFailedException("transient failure, retried until it passes", cause, record);
    }

    private void handleOrDeadLetter(ConsumerRecord<String, byte[]> record, TransactionStatus transaction) {
        EventEnvelope<DomainEvent> envelope;
        try {
            envelope = read(record);
        } catch (InvalidEventException invalid) {
            // only a consumer that reacts to the type dead-letters a version or a payload it cannot read
            if (invalid.eventType().filter(type -> handlers.forType(type) == null).isPresent()) {
                count("ignored", invalid.eventType().get());
                return;
            }
            deadLetter(record, null, null, invalid, transaction);
            return;
        }
        EventHandlers.Handler handler = handlers.forType(envelope.eventType());
        if (handler == null) {
            // no eventType header, and a type nobody here reacts to
            count("ignored", envelope.eventType());
            return;
        }
        String correlationId = envelope.correlationId();
        MDC.put(MDC_CORRELATION_ID, correlationId);
        try (var span = TraceContext.startHandling(envelope.eventType() + " " + handler.name(), record.headers(),
                correlationId)) {
            handleWithRetries(record, envelope, handler, transaction, span);
        } finally {
            MDC.remove(MDC_CORRELATION_ID);
        }
    }

    private void handleWithRetries(ConsumerRecord<String, byte[]> record, EventEnvelope<DomainEvent> envelope,
            EventHandlers.Handler handler, TransactionStatus transaction, TraceContext.HandlingSpan span) {
        for (int attempt = 1; ; attempt++) {
            Savepoint savepoint = savepoint(transaction);
            try {
                boolean first = markProcessed(handler, envelope);
                if (first) {
                    handler.handle(envelope);
                }
                release(transaction, savepoint);
                count(first ? "handled" : "duplicate", envelope.eventType());
                return;
            } catch (RuntimeException failure) {
                span.failed(failure);
                rollBackTo(transaction, savepoint, failure);
                if (FailureClassifier.isTransient(failure)) {
                    throw new TransientRecordFailure(failure);
                }
                if (FailureClassifier.isInvalidEvent(failure) || attempt >= retry.attempts()) {
                    deadLetter(record, envelope, handler, failure, transaction);
                    return;
                }
                log.info("{} failed on attempt {} of {}: {}", handler, attempt, retry.attempts(), failure.toString());
                pause(retry.initialBackoff().multipliedBy(1L << (attempt - 1)));
            }
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, EventEnvelope<DomainEvent> envelope,
            EventHandlers.Handler handler, Throwable failure, TransactionStatus transaction) {
        Savepoint savepoint = savepoint(transaction);
        try {
            deadLetters.send(record, failure);
            if (handler != null) {
                // a redelivery of this record (crash before the offset commit) is not dead-lettered twice
                markProcessed(handler, envelope);
            }
            release(transaction, savepoint);
        } catch (RuntimeException e) {
            rollBackTo(transaction, savepoint, e);
            throw new TransientRecordFailure(e);
        }
        count("dead-lettered", envelope == null ? String.valueOf(header(record, EventHeaders.EVENT_TYPE))
                : envelope.eventType());
        log.error("Dead-lettered {}-{}@{} to {}.DLT: {}", record.topic(), record.partition(), record.offset(),
                record.topic(), failure.toString());
    }

    private boolean markProcessed(EventHandlers.Handler handler, EventEnvelope<DomainEvent> envelope) {
        // the primary key decides between concurrent duplicates; the loser inserts nothing
        return jdbc.sql("""
                INSERT INTO processed_event (consumer, event_id, processed_at) VALUES (?, ?, ?)
                ON CONFLICT DO NOTHING""")
                .params(handler.name(), envelope.eventId(), Timestamp.from(clock.instant()))
                .update() == 1;
    }

    private static EventEnvelope<DomainEvent> read(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null || record.value().length == 0) {
            throw new InvalidEventException(InvalidEventException.Reason.MALFORMED_JSON, "the record has no value");
        }
        return EventJson.read(record.value(), record.topic());
    }

    /** A savepoint, and the transaction synchronizations registered so far (after-commit counters, wake-ups). */
    private record Savepoint(Object savepoint, List<TransactionSynchronization> synchronizations) {
    }

    private static Savepoint savepoint(TransactionStatus transaction) {
        try {
            return new Savepoint(transaction.createSavepoint(), TransactionSynchronizationManager.getSynchronizations());
        } catch (RuntimeException e) {
            throw new TransientRecordFailure(e);
        }
    }

    private static void release(TransactionStatus transaction, Savepoint savepoint) {
        transaction.releaseSavepoint(savepoint.savepoint());
    }

    /**
     * Rolls back to the savepoint, and forgets what the rolled-back attempt registered to run after the commit, so
     * a metric counted after commit counts the attempt that committed only.
     */
    private static void rollBackTo(TransactionStatus transaction, Savepoint savepoint, RuntimeException failure) {
        try {
            transaction.rollbackToSavepoint(savepoint.savepoint());
        } catch (RuntimeException e) {
            // the connection is gone with the transaction: nothing of it will commit
            e.addSuppressed(failure);
            throw new TransientRecordFailure(e);
        }
        if (TransactionSynchronizationManager.getSynchronizations().size() != savepoint.synchronizations().size()) {
            TransactionSynchronizationManager.clearSynchronization();
            TransactionSynchronizationManager.initSynchronization();
            savepoint.synchronizations().forEach(TransactionSynchronizationManager::registerSynchronization);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientRecordFailure(e);
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void count(String outcome, String eventType) {
        // a header is outside input: only catalogue names become tags
        String type = eventType != null && EventCatalog.isKnownName(eventType) ? eventType : "other";
        counters.computeIfAbsent(outcome + "/" + type, k -> Counter.builder("choreo.inbox.events")
                .description("records of the subscribed topics, by what the service did with them")
                .tag("outcome", outcome).tag("type", type).register(meters)).increment();
    }

    private Counter counter(String name, String description) {
        return counters.computeIfAbsent(name, k -> Counter.builder(name).description(description).register(meters));
    }

    /** A failure that passes with time; the record is handed back to the container. */
    private static final class TransientRecordFailure extends RuntimeException {
        TransientRecordFailure(Throwable cause) {
            super(cause);
        }
    }
}
