package dev.choreo.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The append-time estimate: the collector's own observations bracket a record; its timestamp only within them. */
class AppendClockTest {

    private final AppendClock.Samples samples = new AppendClock.Samples();

    @Test
    void aRecordBeyondTheLastEndSeenWasAppendedWhenItWasPolled() {
        samples.sample(10, 1_000, 1_005);
        samples.sample(10, 2_000, 2_000);
        assertThat(samples.isNew(10)).isTrue();
        assertThat(samples.notAfter(10, 2_300)).isEqualTo(2_300);
        // a producer 45 s behind or ahead changes nothing
        assertThat(AppendClock.appendedAt(2_300 - 45_000, 2_300 - 45_000, 2_300, 2_300)).isEqualTo(2_300);
        assertThat(AppendClock.appendedAt(2_300 + 45_000, 2_300 + 45_000, 2_300, 2_300)).isEqualTo(2_300);
    }

    @Test
    void aBacklogRecordIsBracketedByWhatWasSeenAndItsTimestampUsedInside() {
        samples.sample(10, 1_000, 1_005);
        samples.sample(20, 2_000, 2_010);
        samples.sample(30, 3_000, 3_010);
        // offset 15: appended after the end was still 10 (last seen at 1 000), by the time the end was 20 (2 010)
        assertThat(samples.isNew(15)).isFalse();
        assertThat(samples.notBefore(15)).isEqualTo(1_000);
        assertThat(samples.notAfter(15, 9_000)).isEqualTo(2_010);
        assertThat(AppendClock.appendedAt(1_500, 1_400, 1_000, 2_010)).isEqualTo(1_500);
        assertThat(AppendClock.appendedAt(100, 100, 1_000, 2_010)).as("clock behind").isEqualTo(1_000);
        assertThat(AppendClock.appendedAt(60_000, 60_000, 1_000, 2_010)).as("clock ahead").isEqualTo(2_010);
        // nothing becomes readable before it occurred, where occurredAt is plausible
        assertThat(AppendClock.appendedAt(1_200, 1_800, 1_000, 2_010)).isEqualTo(1_800);
    }

    @Test
    void aBacklogWrittenBeforeTheCollectorLookedFallsBackToTheTimestampCappedAtFirstSight() {
        samples.sample(500, 10_000, 10_020);
        assertThat(samples.notBefore(3)).isEqualTo(Long.MIN_VALUE);
        assertThat(samples.notAfter(3, 11_000)).isEqualTo(10_020);
        assertThat(AppendClock.appendedAt(4_000, 3_900, Long.MIN_VALUE, 10_020)).isEqualTo(4_000);
        assertThat(AppendClock.appendedAt(50_000, 50_000, Long.MIN_VALUE, 10_020)).isEqualTo(10_020);
        assertThat(AppendClock.appendedAt(-1, 3_900, Long.MIN_VALUE, 10_020)).as("no timestamp").isEqualTo(10_020);
    }
}
