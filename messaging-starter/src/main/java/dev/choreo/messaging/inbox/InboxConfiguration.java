package dev.choreo.messaging.inbox;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.api.Location;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Idempotent handling: the table of handled events comes with its own migration, applied with the service's. */
@Configuration(proxyBeanMethods = false)
public class InboxConfiguration {

    static final String MIGRATIONS = "classpath:db/messaging";

    @Bean
    IdempotentConsumer idempotentConsumer(JdbcClient jdbc, PlatformTransactionManager transactionManager,
            Clock clock) {
        return new IdempotentConsumer(jdbc, new TransactionTemplate(transactionManager), clock);
    }

    @Bean
    FlywayConfigurationCustomizer messagingMigrations() {
        return configuration -> {
            List<Location> locations = new ArrayList<>(Arrays.asList(configuration.getLocations()));
            locations.add(new Location(MIGRATIONS));
            configuration.locations(locations.toArray(Location[]::new));
        };
    }
}
