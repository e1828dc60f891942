package dev.choreo.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.events.notification.NotificationKind;
import org.junit.jupiter.api.Test;

class OrderTrackerTest {

    private final OrderTracker tracker = new OrderTracker(10);
    private final PhaseStats phase = new PhaseStats("test", 100);

    @Test
    void matchesTheEndEventWithTheOrderWhicheverComesFirst() throws Exception {
        long t0 = System.nanoTime();
        place("ord-1", Scenario.COMPLETED, t0);
        tracker.ended("ord-1", new OrderTracker.End(NotificationKind.ORDER_COMPLETED, t0 + 5_000_000, System.currentTimeMillis()));
        // the end event overtakes the 201 response
        tracker.ended("ord-2", new OrderTracker.End(NotificationKind.ORDER_REJECTED, t0 + 7_000_000, System.currentTimeMillis()));
        place("ord-2", Scenario.SOLD_OUT, t0);

        assertThat(phase.ended.sum()).isEqualTo(2);
        assertThat(phase.unexpectedEnds.sum()).isZero();
        assertThat(phase.endToEnd().max()).isBetween(6.9, 7.1);
        assertThat(tracker.openPermits().availablePermits()).isEqualTo(10);
        assertThat(phase.allEndedAsExpected()).isTrue();
    }

    @Test
    void countsUnexpectedOutcomesDuplicatesAndOrdersThatNeverEnd() throws Exception {
        long t0 = System.nanoTime();
        place("ord-1", Scenario.DECLINED, t0);
        place("ord-2", Scenario.COMPLETED, t0);
        tracker.ended("ord-1", new OrderTracker.End(NotificationKind.ORDER_COMPLETED, t0 + 1_000_000, System.currentTimeMillis()));
        tracker.ended("ord-1", new OrderTracker.End(NotificationKind.ORDER_COMPLETED, t0 + 2_000_000, System.currentTimeMillis()));
        tracker.ended("someone-elses", new OrderTracker.End(NotificationKind.ORDER_COMPLETED, t0, System.currentTimeMillis()));

        assertThat(tracker.abandon(phase)).containsExactly("ord-2");
        assertThat(tracker.dropForeignEnds()).isEqualTo(1);

        assertThat(phase.unexpected()).containsEntry("declined ended ORDER_COMPLETED", 1L);
        assertThat(phase.duplicateEnds.sum()).isEqualTo(1);
        assertThat(phase.notEnded()).isEqualTo(1);
        assertThat(phase.notEndedSample()).containsExactly("ord-2");
        assertThat(phase.allEndedAsExpected()).isFalse();
        assertThat(tracker.openPermits().availablePermits()).isEqualTo(10);
    }

    private void place(String orderId, Scenario scenario, long sentNanos) throws InterruptedException {
        tracker.openPermits().acquire();
        phase.sending(scenario, sentNanos, 0);
        tracker.accepted(orderId, new OrderTracker.Placed(scenario, sentNanos, LoadGenerator.epochMicros(), phase));
    }
}
