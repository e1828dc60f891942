package dev.choreo.collector.diagnosis;

import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/** When the oldest record a consumer group has yet to consume on a topic-partition became readable. */
public interface OldestWaiting {

    /**
     * @param committed the group's committed offset there: the next record it will consume
     * @param end       the partition's end offset (nothing is waiting at or beyond it)
     * @return the append time (epoch millis) of the record at {@code committed}, empty when it cannot be told
     */
    OptionalLong appendedAt(String group, TopicPartition tp, long committed, long end);
}
