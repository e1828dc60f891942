package dev.choreo.collector.lag;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTimesTest {

    private static final TopicPartition TP = new TopicPartition("order-events", 0);

    @Test
    void findsTheFirstRecordAtOrAfterAnOffsetWhileTheRingReachesBackThatFar() {
        OffsetTimes times = new OffsetTimes(4);
        // 3 is a transaction marker: no record there
        times.of("order-events", 0).add(1, 1000);
        times.of("order-events", 0).add(2, 2000);
        times.of("order-events", 0).add(4, 4000);
        assertThat(times.nextAppendedAt(TP, 2)).hasValue(2000);
        assertThat(times.nextAppendedAt(TP, 3)).hasValue(4000);
        assertThat(times.nextAppendedAt(TP, 0)).as("before the ring: a record may be missing").isEmpty();
        assertThat(times.nextAppendedAt(TP, 5)).as("not read yet").isEmpty();

        times.of("order-events", 0).add(5, 5000);
        times.of("order-events", 0).add(6, 6000);
        assertThat(times.nextAppendedAt(TP, 1)).as("overwritten").isEmpty();
        assertThat(times.nextAppendedAt(TP, 2)).hasValue(2000);
        assertThat(times.nextAppendedAt(TP, 6)).hasValue(6000);
    }

    @Test
    void aRebuildFromFurtherBackStartsTheRingOver() {
        OffsetTimes times = new OffsetTimes(4);
        times.of("order-events", 0).add(10, 10_000);
        times.of("order-events", 0).add(0, 500);
        assertThat(times.nextAppendedAt(TP, 10)).isEmpty();
        assertThat(times.nextAppendedAt(TP, 0)).hasValue(500);
    }
}
