package dev.choreo.messaging.schema;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The starter's tables ({@code processed_event}, the outbox) have their own Flyway history,
 * {@value #HISTORY_TABLE}, so the starter's migrations evolve independently of the services' own: they are applied
 * by a Flyway of their own, over {@value #MIGRATIONS}, just before the service's Flyway migrates (when Spring Boot
 * hands out the service's {@link Flyway}, whose data source and schemas it uses).
 * <p>
 * Databases created before had the starter's migrations recorded in the service's history. On such a database the
 * starter's history starts from a baseline at the highest version recorded there (its tables exist), and those rows
 * are removed from the service's history, where they would now be "applied but not resolved locally" and fail the
 * service's validation. Both steps are idempotent, so a crash between them is repaired by the next start.
 */
class MessagingSchema implements BeanPostProcessor {

    static final String MIGRATIONS = "classpath:db/messaging";
    static final String HISTORY_TABLE = "flyway_messaging_history";

    private static final Logger log = LoggerFactory.getLogger(MessagingSchema.class);

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof Flyway service) {
            migrate(service.getConfiguration());
        }
        return bean;
    }

    static void migrate(Configuration service) {
        DataSource dataSource = service.getDataSource();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Flyway messaging = Flyway.configure(MessagingSchema.class.getClassLoader())
                .dataSource(dataSource)
                .schemas(service.getSchemas())
                .defaultSchema(service.getDefaultSchema())
                .locations(MIGRATIONS)
                .table(HISTORY_TABLE)
                .load();
        List<String> scripts = Arrays.stream(messaging.info().all()).map(MigrationInfo::getScript).toList();
        String recordedInService = highestVersionRecorded(jdbc, service.getTable(), scripts);
        // a database whose tables came with the service's history gets a baseline there; a new one gets everything
        Flyway.configure(MessagingSchema.class.getClassLoader())
                .configuration(messaging.getConfiguration())
                .baselineOnMigrate(true)
                .baselineVersion(recordedInService == null ? "0" : recordedInService)
                .baselineDescription("tables from the service history")
                .load()
                .migrate();
        if (recordedInService != null) {
            int removed = 0;
            for (String script : scripts) {
                removed += jdbc.update("DELETE FROM " + quoted(service.getTable()) + " WHERE \"script\" = ?", script);
            }
            log.info("The starter's migrations up to {} moved from {} to {} ({} rows)", recordedInService,
                    service.getTable(), HISTORY_TABLE, removed);
        }
    }

    /** The highest version of the starter's migrations recorded in the service's history, or {@code null}. */
    private static String highestVersionRecorded(JdbcTemplate jdbc, String serviceTable, List<String> scripts) {
        try {
            return jdbc.query("SELECT \"version\", \"script\" FROM " + quoted(serviceTable)
                    + " WHERE \"success\" = TRUE", (rs, row) -> scripts.contains(rs.getString("script"))
                    ? MigrationVersion.fromVersion(rs.getString("version")) : null).stream()
                    .filter(Objects::nonNull)
                    .max(Comparator.naturalOrder())
                    .map(MigrationVersion::getVersion)
                    .orElse(null);
        } catch (BadSqlGrammarException noHistoryYet) {
            log.debug("No service history to take the starter's migrations from: {}", noHistoryYet.getMessage());
            return null;
        }
    }

    /** Flyway creates its history table and columns with quoted lower-case names on H2 as on PostgreSQL. */
    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
