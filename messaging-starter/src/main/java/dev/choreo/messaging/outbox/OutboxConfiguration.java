package dev.choreo.messaging.outbox;

import dev.choreo.events.EventEnvelope;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.modulith.events.RoutingTarget;
import org.springframework.modulith.events.core.EventSerializer;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The transactional outbox: Spring Modulith's event publication registry, externalized to Kafka. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class OutboxConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    EventPublisher eventPublisher(ApplicationEventPublisher applicationEvents,
            @Value("${spring.application.name}") String producer, Clock clock) {
        return new EventPublisher(applicationEvents, producer, clock);
    }

    /**
     * Every envelope goes to its type's topic, keyed by its stream (the order id). The routing headers are
     * written by {@link dev.choreo.messaging.kafka.EnvelopeSerializer}, on every path that sends an envelope.
     */
    @Bean
    EventExternalizationConfiguration envelopeExternalization() {
        return EventExternalizationConfiguration.externalizing()
                .select(EventEnvelope.class::isInstance)
                .route(EventEnvelope.class, envelope -> RoutingTarget.forTarget(envelope.topic()).andKey(envelope.key()))
                .build();
    }

    @Bean
    EventSerializer envelopeOutboxSerializer() {
        return new EnvelopeOutboxSerializer();
    }

    @Bean
    FailedPublicationResubmitter failedPublicationResubmitter(IncompleteEventPublications incomplete) {
        return new FailedPublicationResubmitter(incomplete);
    }
}
