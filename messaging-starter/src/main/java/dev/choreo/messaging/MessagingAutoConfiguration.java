package dev.choreo.messaging;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * The suite's messaging plumbing: the transactional outbox, idempotent consumers, Kafka serialization,
 * topics, retries and dead-letter topics, correlation in logs, and a readiness that means the service can do its
 * job. A service gets all of it by depending on this module.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration"})
@EnableConfigurationProperties(MessagingProperties.class)
@Import({dev.choreo.messaging.kafka.KafkaMessagingConfiguration.class,
        dev.choreo.messaging.outbox.OutboxConfiguration.class,
        dev.choreo.messaging.inbox.InboxConfiguration.class,
        dev.choreo.messaging.readiness.ReadinessConfiguration.class,
        dev.choreo.messaging.schema.MessagingSchemaConfiguration.class})
public class MessagingAutoConfiguration {
}
