package dev.choreo.messaging.schema;

import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The starter's tables, migrated with a Flyway history of their own before the service's Flyway runs. */
@Configuration(proxyBeanMethods = false)
public class MessagingSchemaConfiguration {

    /** Static: a bean post-processor must exist before the beans it looks at. */
    @Bean
    static MessagingSchema messagingSchema() {
        return new MessagingSchema();
    }

    /**
     * The starter's tables are in the service's schema: on a new database the service's Flyway finds them there
     * before its own history exists, and starts that history from a baseline at version 0 (all its migrations
     * applied) instead of refusing a non-empty schema.
     */
    @Bean
    FlywayConfigurationCustomizer serviceHistoryNextToTheStarters() {
        return configuration -> configuration.baselineOnMigrate(true).baselineVersion("0");
    }
}
