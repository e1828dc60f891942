package dev.choreo.collector.lag;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The append times of the latest records the collector read, per topic-partition: a ring of the last
 * {@code capacity} offsets and their append times (16 bytes a record). A service group that is close behind waits
 * on a record the collector has just read, so its age is known here without asking Kafka; an offset that fell out
 * of the ring (a group far behind, or a partition another instance reads) is fetched (see {@link RecordFetcher}).
 * An offset's append time never changes, so a ring stays valid when its partition moves to another instance.
 */
public final class OffsetTimes {

    private final int capacity;
    private final Map<TopicPartition, Ring> rings = new ConcurrentHashMap<>();

    public OffsetTimes(int capacity) {
        this.capacity = capacity;
    }

    /**
     * The ring of one topic-partition, where the listener adds each record it read: its offset and when it became
     * readable (the collector's estimate, see the ingest package's AppendClock). Looked up once per run of a
     * partition's records in a batch.
     */
    public Ring of(String topic, int partition) {
        return rings.computeIfAbsent(new TopicPartition(topic, partition), tp -> new Ring(capacity));
    }

    /**
     * The append time of the first record at or after {@code offset} (the one a read-committed consumer positioned
     * there gets next: transaction markers and aborted records have no entry), if the ring covers that offset.
     */
    OptionalLong nextAppendedAt(TopicPartition tp, long offset) {
        Ring ring = rings.get(tp);
        return ring == null ? OptionalLong.empty() : ring.ceiling(offset);
    }

    /** Offsets in increasing order, the oldest overwritten first. */
    public static final class Ring {

        private final long[] offsets;
        private final long[] times;
        private int start;
        private int count;

        Ring(int capacity) {
            offsets = new long[capacity];
            times = new long[capacity];
        }

        public synchronized void add(long offset, long appendedAt) {
            if (count > 0 && offset <= offsets[physical(count - 1)]) {
                // read again from further back (a rebuild): start over rather than break the order
                count = 0;
                start = 0;
            }
            if (count == offsets.length) {
                start = (start + 1) % offsets.length;
                count--;
            }
            int slot = physical(count++);
            offsets[slot] = offset;
            times[slot] = appendedAt;
        }

        /** Empty when the offset is before the ring (a record between may be missing) or after its last record. */
        synchronized OptionalLong ceiling(long offset) {
            if (count == 0 || offset < offsets[physical(0)]) {
                return OptionalLong.empty();
            }
            int low = 0;
            int high = count - 1;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (offsets[physical(middle)] < offset) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return offsets[physical(low)] >= offset ? OptionalLong.of(times[physical(low)]) : OptionalLong.empty();
        }

        private int physical(int logical) {
            return (start + logical) % offsets.length;
        }
    }
}
