package dev.choreo.messaging.outbox;

import java.util.List;
import org.apache.kafka.common.header.Header;

/**
 * A Kafka record waiting in the outbox.
 *
 * @param id        its place in the outbox: the commit order of one key's records
 * @param topic     where it goes
 * @param partition the partition, or {@code null} to let the key decide
 * @param key       the record key (the order id)
 * @param headers   the record headers, trace context included
 * @param payload   the record value
 */
record OutboxRecord(long id, String topic, Integer partition, String key, List<Header> headers, byte[] payload) {
}
