package dev.choreo.messaging.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.messaging.test.PostgresTestDatabase;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The starter's migrations have their own history ({@code flyway_messaging_history}), applied before the service's.
 * A database created the old way, with the starter's migrations in the service's history, keeps working: its
 * tables and rows stay, the starter's history starts from a baseline, and the service's Flyway validates.
 */
class MessagingSchemaTest {

    /** The service's own migrations: the test application's {@code db/migration}. */
    private static final String SERVICE_MIGRATIONS = "classpath:db/migration";

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aNewDatabaseGetsTheStartersTablesInTheirOwnHistory(String database) {
        DataSource dataSource = dataSource(database, "new");

        migrateTheNewWay(dataSource);

        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        assertThat(scripts(jdbc, "flyway_messaging_history"))
                .containsExactly("V0_1__processed_event.sql", "V0_2__outbox.sql");
        assertThat(scripts(jdbc, "flyway_schema_history")).containsExactly("V1__handled_order.sql");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox_relay_lease", Integer.class)).isOne();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aDatabaseCreatedTheOldWayKeepsItsTablesAndRowsAndValidates(String database) {
        DataSource dataSource = dataSource(database, "old");
        // before: one Flyway, the starter's migrations in the service's history
        Flyway.configure().dataSource(dataSource).locations(SERVICE_MIGRATIONS, MessagingSchema.MIGRATIONS).load()
                .migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        UUID handled = UUID.randomUUID();
        jdbc.update("INSERT INTO processed_event (consumer, event_id, processed_at) VALUES ('reserve', ?, "
                + "CURRENT_TIMESTAMP)", handled);

        migrateTheNewWay(dataSource);
        // and once more, as every later start does
        migrateTheNewWay(dataSource);

        assertThat(scripts(jdbc, "flyway_schema_history")).containsExactly("V1__handled_order.sql");
        assertThat(jdbc.queryForList("SELECT \"version\" FROM \"flyway_messaging_history\" WHERE \"type\" = "
                + "'BASELINE'", String.class)).containsExactly("0.2");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM processed_event WHERE event_id = ?", Integer.class,
                handled)).isOne();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox_relay_lease", Integer.class)).isOne();
    }

    /** As a service starts: the starter's migrations, then the service's Flyway, which must validate. */
    private static void migrateTheNewWay(DataSource dataSource) {
        // as MessagingSchemaConfiguration configures the service's Flyway
        Flyway service = Flyway.configure().dataSource(dataSource).locations(SERVICE_MIGRATIONS)
                .baselineOnMigrate(true).baselineVersion("0").load();
        MessagingSchema.migrate(service.getConfiguration());
        service.migrate();
        service.validate();
    }

    private static List<String> scripts(JdbcTemplate jdbc, String table) {
        return jdbc.queryForList("SELECT \"script\" FROM \"" + table + "\" WHERE \"type\" = 'SQL' ORDER BY "
                + "\"installed_rank\"", String.class);
    }

    private static DataSource dataSource(String database, String name) {
        return switch (database) {
            case "h2" -> new DriverManagerDataSource("jdbc:h2:mem:messaging_schema_" + name + "_" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
            case "postgresql" -> new DriverManagerDataSource(
                    PostgresTestDatabase.recreate("test_messaging_schema_" + name), PostgresTestDatabase.USER, "");
            default -> throw new IllegalArgumentException(database);
        };
    }
}
