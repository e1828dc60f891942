package dev.choreo.messaging.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.messaging.test.PostgresTestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class ProcessedEventPurgeTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(8);

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void deletesTheRowsOlderThanTheRetentionInBatchesAndCountsThem(String database) {
        JdbcClient jdbc = JdbcClient.create(dataSource(database));
        for (int i = 0; i < 7; i++) {
            insert(jdbc, NOW.minus(RETENTION).minusSeconds(1 + i));
        }
        UUID atTheLimit = insert(jdbc, NOW.minus(RETENTION));
        UUID recent = insert(jdbc, NOW.minusSeconds(60));
        var meters = new SimpleMeterRegistry();
        var purge = new ProcessedEventPurge(jdbc, Clock.fixed(NOW, ZoneOffset.UTC), RETENTION, Duration.ofHours(1),
                3, meters);

        assertThat(purge.purge()).isEqualTo(7);
        assertThat(purge.purge()).isZero();

        assertThat(jdbc.sql("SELECT event_id FROM processed_event").query(UUID.class).list())
                .containsExactlyInAnyOrder(atTheLimit, recent);
        assertThat(meters.get("choreo.inbox.processed.purged").counter().count()).isEqualTo(7);
    }

    private static UUID insert(JdbcClient jdbc, Instant processedAt) {
        UUID eventId = UUID.randomUUID();
        jdbc.sql("INSERT INTO processed_event (consumer, event_id, processed_at) VALUES ('reserve', ?, ?)")
                .params(eventId, Timestamp.from(processedAt)).update();
        return eventId;
    }

    private static DataSource dataSource(String database) {
        DataSource dataSource = switch (database) {
            case "h2" -> new DriverManagerDataSource("jdbc:h2:mem:purge_" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
            case "postgresql" -> new DriverManagerDataSource(PostgresTestDatabase.recreate("test_messaging_purge"),
                    PostgresTestDatabase.USER, "");
            default -> throw new IllegalArgumentException(database);
        };
        Flyway.configure().dataSource(dataSource).locations("classpath:db/messaging").load().migrate();
        return dataSource;
    }
}
