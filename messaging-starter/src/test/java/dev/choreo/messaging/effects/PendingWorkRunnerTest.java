package dev.choreo.messaging.effects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/** The runner against real (H2) transactions: woken by a commit, not by a rollback; a failing round is retried. */
class PendingWorkRunnerTest {

    private final AtomicInteger rounds = new AtomicInteger();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private TransactionTemplate transaction;
    private PendingWorkRunner runner;

    @BeforeEach
    void start() {
        var h2 = new SingleConnectionDataSource("jdbc:h2:mem:runner-" + UUID.randomUUID(), "sa", "", true);
        transaction = new TransactionTemplate(new DataSourceTransactionManager(h2));
        // a sweep far away: every round below was asked for
        runner = new PendingWorkRunner("test-work", Duration.ofHours(1), () -> {
            rounds.incrementAndGet();
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("remote party away (simulated)");
            }
            return 0;
        });
        runner.start();
    }

    @AfterEach
    void stop() {
        runner.stop();
    }

    @Test
    void runsOnceAtStartThenWhenATransactionThatAskedCommitsAndNotWhenItRollsBack() {
        await().until(() -> rounds.get() == 1);

        transaction.executeWithoutResult(status -> {
            runner.wakeAfterCommit();
            status.setRollbackOnly();
        });
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> rounds.get() == 1);

        transaction.executeWithoutResult(status -> {
            runner.wakeAfterCommit();
            assertThat(rounds.get()).as("not before the commit").isEqualTo(1);
        });
        await().until(() -> rounds.get() == 2);
    }

    @Test
    void triesAFailingRoundAgainAfterABackOffUntilItPasses() {
        await().until(() -> rounds.get() == 1);
        failuresLeft.set(3);

        runner.wake();

        // three failures (back-offs of 200, 400, 800 ms) then the round that passes; no wake was needed for them
        await().atMost(Duration.ofSeconds(10)).until(() -> rounds.get() == 5);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> rounds.get() == 5);
    }
}
