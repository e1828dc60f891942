package dev.choreo.messaging.outbox;

import dev.choreo.messaging.MessagingProperties;
import dev.choreo.messaging.kafka.KafkaMessagingConfiguration;
import dev.choreo.messaging.readiness.ReadinessCondition;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;

/**
 * The transactional outbox: rows written with the state change (an {@code outbox_record} table of the service's
 * database), sent in commit order by one relay per service. See messaging-starter's README for why it is ours and
 * not Spring Modulith's event publication registry.
 */
@Configuration(proxyBeanMethods = false)
public class OutboxConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Compares the topics' partition counts at start-up (refusing to start), creates them before the first send. */
    @Bean
    TopicReadiness topicReadiness(KafkaAdmin kafkaAdmin, MessagingProperties properties) {
        return new TopicReadiness(kafkaAdmin, KafkaMessagingConfiguration.topics(properties));
    }

    @Bean
    OutboxRelay outboxRelay(JdbcClient jdbc, JdbcTemplate jdbcTemplate, ProducerFactory<Object, Object> producers,
            TopicReadiness topics, MessagingProperties properties, Clock clock,
            MeterRegistry meters, @Value("${spring.application.name}") String service) {
        var lease = new RelayLease(jdbc, clock, service + "/" + UUID.randomUUID(), properties.outbox().lease());
        return new OutboxRelay(jdbc, jdbcTemplate, producers, lease, topics, properties.outbox(), clock, meters);
    }

    @Bean
    Outbox outbox(JdbcClient jdbc, Clock clock, OutboxRelay relay) {
        return new Outbox(jdbc, clock, relay::wakeUp);
    }

    @Bean
    EventPublisher eventPublisher(Outbox outbox, @Value("${spring.application.name}") String producer, Clock clock) {
        return new EventPublisher(outbox, producer, clock);
    }

    /** The service is not ready before it can publish: its topics exist and every partition has a leader. */
    @Bean
    ReadinessCondition outboxTopics(OutboxRelay relay) {
        return relay::waitingForTopics;
    }

    @Bean
    OutboxHealthIndicator outboxHealthIndicator(OutboxRelay relay) {
        return new OutboxHealthIndicator(relay);
    }
}
