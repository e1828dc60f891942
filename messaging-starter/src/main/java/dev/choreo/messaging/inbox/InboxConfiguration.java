package dev.choreo.messaging.inbox;

import dev.choreo.messaging.MessagingProperties;
import dev.choreo.messaging.outbox.Outbox;
import dev.choreo.messaging.readiness.ReadinessCondition;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The inbox: the service's {@link EventHandler} methods fed by one batch listener, exactly once per event. The
 * tables of handled events and of the outbox come with the starter's own migrations ({@code schema} package).
 */
@Configuration(proxyBeanMethods = false)
public class InboxConfiguration {

    /** Rows deleted per transaction by the purge of processed_event. */
    private static final int PURGE_BATCH_SIZE = 1_000;

    /** Static: a bean post-processor must exist before the beans it looks at. */
    @Bean
    static EventHandlers eventHandlers() {
        return new EventHandlers();
    }

    @Bean
    InboxState eventInboxHealthIndicator(Clock clock, MeterRegistry meters) {
        InboxState state = new InboxState(clock);
        Gauge.builder("choreo.inbox.paused", state, InboxState::paused)
                .description("1 while the event listener is paused by a transient failure").register(meters);
        return state;
    }

    @Bean
    EventInboxContainer eventInboxContainer(EventHandlers handlers, PlatformTransactionManager transactions,
            JdbcClient jdbc, Outbox outbox, InboxState state, KafkaProperties kafkaProperties,
            MessagingProperties properties, Clock clock, MeterRegistry meters) {
        var consumerProperties = kafkaProperties.buildConsumerProperties();
        // offsets are committed by the container after each batch's database transaction
        consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        String group = String.valueOf(consumerProperties.get(ConsumerConfig.GROUP_ID_CONFIG));
        var inbox = new EventInbox(handlers, transactions, jdbc, new DeadLetters(outbox, group), state,
                properties.retry(), clock, meters);
        return new EventInboxContainer(handlers, inbox, consumerProperties, properties, meters);
    }

    @Bean
    ProcessedEventPurge processedEventPurge(JdbcClient jdbc, Clock clock, MessagingProperties properties,
            MeterRegistry meters) {
        return new ProcessedEventPurge(jdbc, clock, properties.inbox().processedRetention(),
                properties.inbox().purgeInterval(), PURGE_BATCH_SIZE, meters);
    }

    /** The service is not ready before it consumes the events it reacts to. */
    @Bean
    ReadinessCondition inboxPartitions(EventInboxContainer container) {
        return container::waitingForPartitions;
    }
}
