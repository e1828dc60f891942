package dev.choreo.messaging;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * The suite's messaging plumbing: the transactional outbox, idempotent consumers, Kafka serialization,
 * topics, retries and dead-letter topics, and correlation in logs. A service gets all of it by depending on
 * this module.
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
        // before Boot's task execution: the outbox's own AsyncConfigurer replaces Boot's (see OutboxConfiguration)
        beforeName = {"org.springframework.modulith.events.kafka.KafkaEventExternalizerConfiguration",
                "org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration"})
@EnableConfigurationProperties(MessagingProperties.class)
@Import({dev.choreo.messaging.kafka.KafkaMessagingConfiguration.class,
        dev.choreo.messaging.outbox.OutboxConfiguration.class,
        dev.choreo.messaging.inbox.InboxConfiguration.class})
public class MessagingAutoConfiguration {
}
