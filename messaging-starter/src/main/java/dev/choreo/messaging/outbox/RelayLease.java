package dev.choreo.messaging.outbox;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The right to send a service's outbox, held by one instance at a time: a row with an owner and an expiry. The
 * holder renews it while it runs; after a crash a sibling takes over once it has expired. So in normal operation
 * no row is sent by two instances, and the records of one order leave in commit order whichever instance wrote
 * them.
 */
class RelayLease {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final String owner;
    private final Duration duration;
    private Instant renewAfter = Instant.MIN;
    private boolean held;

    RelayLease(JdbcClient jdbc, Clock clock, String owner, Duration duration) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.owner = owner;
        this.duration = duration;
    }

    /** Takes or renews the lease when a third of it has passed; {@code true} while this instance holds it. */
    boolean hold() {
        Instant now = clock.instant();
        if (held && now.isBefore(renewAfter)) {
            return true;
        }
        int updated = jdbc.sql("""
                UPDATE outbox_relay_lease SET owner = ?, expires_at = ?
                WHERE relay = 'outbox' AND (owner = ? OR owner IS NULL OR expires_at < ?)""")
                .params(owner, Timestamp.from(now.plus(duration)), owner, Timestamp.from(now))
                .update();
        held = updated == 1;
        renewAfter = now.plus(duration.dividedBy(3));
        return held;
    }

    /** Gives the lease up at once, so a sibling need not wait for it to expire. */
    void release() {
        if (held) {
            jdbc.sql("UPDATE outbox_relay_lease SET owner = NULL WHERE relay = 'outbox' AND owner = ?")
                    .param(owner).update();
            held = false;
        }
    }

    String owner() {
        return owner;
    }
}
