package dev.choreo.messaging.outbox;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes records to the outbox table inside the caller's database transaction; the relay sends them once that
 * transaction has committed, and is woken by the commit instead of waiting for its next look.
 */
public class Outbox {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionSynchronization wakeRelayOnCommit;

    Outbox(JdbcClient jdbc, Clock clock, Runnable wakeRelay) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.wakeRelayOnCommit = new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                wakeRelay.run();
            }
        };
    }

    /**
     * Adds a record to the current transaction.
     *
     * @param partition the partition, or {@code null} to let the key decide
     * @throws IllegalStateException when no database transaction is active: the record and the state change that
     *                               caused it could not be atomic
     */
    public void append(String topic, Integer partition, String key, List<Header> headers, byte[] payload) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("outbox records must be written inside a database transaction");
        }
        jdbc.sql("""
                INSERT INTO outbox_record (topic, partition_no, record_key, headers, payload, created_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(topic, partition, key, OutboxHeaders.encode(headers), payload, Timestamp.from(clock.instant()))
                .update();
        wakeRelayAfterCommit();
    }

    private void wakeRelayAfterCommit() {
        // one instance: the transaction's synchronizations are a set, so a batch of appends registers it once; the
        // inbox drops it with the record it rolls back, and the next append registers it again
        TransactionSynchronizationManager.registerSynchronization(wakeRelayOnCommit);
    }
}
