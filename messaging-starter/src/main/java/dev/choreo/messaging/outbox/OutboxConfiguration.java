package dev.choreo.messaging.outbox;

import dev.choreo.events.EventEnvelope;
import java.time.Clock;
import java.util.concurrent.Executor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.modulith.events.RoutingTarget;
import org.springframework.modulith.events.core.EventSerializer;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

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

    /**
     * Spring Modulith sends outbox entries from {@code @Async} listeners. On a pool, two events of one order
     * committed one after the other (OrderPlaced, then OrderCancelled) could reach Kafka in the reverse order.
     * One sender thread takes them in commit order, and the producer keeps that order per partition; sending
     * only hands the record to the producer's buffer, so one thread is not the bottleneck.
     */
    @Bean(destroyMethod = "shutdown")
    ThreadPoolTaskExecutor outboxSender() {
        var executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(1);
        executor.setMaxPoolSize(1);
        executor.setThreadNamePrefix("outbox-");
        executor.setWaitForTasksToCompleteOnShutdown(true);
        executor.setAwaitTerminationSeconds(10);
        return executor;
    }

    @Bean
    AsyncConfigurer outboxInCommitOrder(ThreadPoolTaskExecutor outboxSender) {
        return new AsyncConfigurer() {
            @Override
            public Executor getAsyncExecutor() {
                return outboxSender;
            }
        };
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
