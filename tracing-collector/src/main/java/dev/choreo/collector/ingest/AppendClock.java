package dev.choreo.collector.ingest;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * When each record became readable, on the collector's own clock: the time deadlines count from.
 *
 * <p>The suite's topics use CreateTime, so a record's timestamp is the producing service's wall clock when it
 * handed the record to its Kafka client: wrong by that machine's clock skew, and earlier than the append by the
 * client's own retries. So the collector brackets every record with what it observed itself: per topic-partition
 * it keeps a few samples "at time t the partition's end offset was E" (taken at assignment, after every batch and
 * when idle). A record beyond the last end seen arrived while the collector was at the end of the partition: its
 * poll time is its append time (the fetch returns new records as soon as they are appended). An older record (a
 * backlog) was appended after the last time the end was still {@code <= o}, and before the first time the end was
 * {@code > o}: the record's timestamp is used only within that window. A caught-up collector so knows the append
 * time within one poll, whatever the producer's clock; while it reads a backlog that was written before it
 * looked, the window is open below and the record timestamp (capped at the time the record was first known to
 * exist) is the estimate. With LogAppendTime topics that timestamp is the broker's clock.
 */
public final class AppendClock {

    private static final int SAMPLES = 16;

    private final Map<TopicPartition, Samples> partitions = new ConcurrentHashMap<>();

    /** The samples of one topic-partition; read and written by the one consumer thread that owns it. */
    public Samples of(String topic, int partition) {
        return partitions.computeIfAbsent(new TopicPartition(topic, partition), tp -> new Samples());
    }

    /**
     * The consumer's position on a topic-partition as of its last batch or idle check (past transaction markers
     * too), or -1 when this instance does not read it.
     */
    public long readPosition(String topic, int partition) {
        Samples samples = partitions.get(new TopicPartition(topic, partition));
        return samples == null ? -1 : samples.position;
    }

    /** The topic-partitions this instance reads now. */
    public Set<TopicPartition> partitions() {
        return Set.copyOf(partitions.keySet());
    }

    /** The append-time windows of the records of one poll, taken at {@code polledAt}. */
    public Bracket bracket(long polledAt) {
        return new Bracket(polledAt);
    }

    void forget(Collection<TopicPartition> released) {
        released.forEach(partitions::remove);
    }

    /**
     * The estimate for one record.
     *
     * @param recordTimestamp the record's timestamp (CreateTime or LogAppendTime), negative if it has none
     * @param occurredAt      the producer's occurredAt: used where it is plausible (not after the record was seen),
     *                        since nothing becomes readable before it occurred
     * @param notBefore       the record was appended after this (Long.MIN_VALUE: unknown)
     * @param notAfter        the record was appended by this
     */
    public static long appendedAt(long recordTimestamp, long occurredAt, long notBefore, long notAfter) {
        long at = recordTimestamp < 0 ? notAfter : Math.min(Math.max(recordTimestamp, notBefore), notAfter);
        if (occurredAt > at && occurredAt <= notAfter) {
            at = occurredAt;
        }
        return at;
    }

    /**
     * The window of each record of one poll in turn: {@link #of} finds a partition's samples once per run of its
     * records (a poll returns them grouped by partition), then {@link #notBefore()} and {@link #notAfter()} hold that
     * record's window. One per poll, on the consumer thread that owns the partitions.
     */
    public final class Bracket {
        private final long polledAt;
        private Samples samples;
        private String topic;
        private int partition = -1;
        private long notBefore;
        private long notAfter;

        private Bracket(long polledAt) {
            this.polledAt = polledAt;
        }

        public void of(String topic, int partition, long offset) {
            if (partition != this.partition || !topic.equals(this.topic)) {
                samples = AppendClock.this.of(topic, partition);
                this.topic = topic;
                this.partition = partition;
            }
            notAfter = samples.notAfter(offset, polledAt);
            notBefore = samples.isNew(offset) ? notAfter : samples.notBefore(offset);
        }

        public long notBefore() {
            return notBefore;
        }

        public long notAfter() {
            return notAfter;
        }
    }

    /**
     * "At time t the end offset was E", oldest first. Equal ends are merged: {@code firstSeen} is the first time
     * that end was known (records below it were appended by then), {@code lastSeen} the last time it was still the
     * end (records from it on were appended after).
     */
    public static final class Samples {
        private final long[] ends = new long[SAMPLES];
        private final long[] firstSeen = new long[SAMPLES];
        private final long[] lastSeen = new long[SAMPLES];
        private int count;
        /** The consumer's position after its last batch or idle check; read by the auto-cancel's thread. */
        volatile long position = -1;

        /**
         * @param askedAt    when the end offset was asked for (or the poll that brought it returned)
         * @param answeredAt when the answer was there
         */
        public void sample(long end, long askedAt, long answeredAt) {
            if (count > 0 && ends[count - 1] == end) {
                lastSeen[count - 1] = Math.max(lastSeen[count - 1], askedAt);
                return;
            }
            if (count > 0 && end < ends[count - 1]) {
                return; // a stale answer (an earlier fetch's): it tells nothing new
            }
            if (count == SAMPLES) {
                System.arraycopy(ends, 1, ends, 0, SAMPLES - 1);
                System.arraycopy(firstSeen, 1, firstSeen, 0, SAMPLES - 1);
                System.arraycopy(lastSeen, 1, lastSeen, 0, SAMPLES - 1);
                count--;
            }
            ends[count] = end;
            firstSeen[count] = answeredAt;
            lastSeen[count] = askedAt;
            count++;
        }

        /**
         * True when the record lies beyond the end offset last seen: it was appended while the collector was
         * reading this partition at its end, and a consumer at the end gets new records as soon as they are
         * appended (the fetch waits for them). Its poll time is then its append time, give or take the consumer's
         * own processing of the batch before.
         */
        public boolean isNew(long offset) {
            return count > 0 && offset >= ends[count - 1];
        }

        /** The record at this offset was appended after this time; Long.MIN_VALUE when nothing is known. */
        public long notBefore(long offset) {
            for (int i = count - 1; i >= 0; i--) {
                if (ends[i] <= offset) {
                    return lastSeen[i];
                }
            }
            return Long.MIN_VALUE;
        }

        /** The record at this offset was appended by this time; {@code polledAt} at the latest. */
        public long notAfter(long offset, long polledAt) {
            for (int i = 0; i < count; i++) {
                if (ends[i] > offset) {
                    return Math.min(firstSeen[i], polledAt);
                }
            }
            return polledAt;
        }
    }
}
