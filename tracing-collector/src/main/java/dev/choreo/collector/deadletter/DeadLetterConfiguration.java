package dev.choreo.collector.deadletter;

import dev.choreo.collector.CollectorProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DeadLetterConfiguration {

    @Bean
    DeadLetterIndex deadLetterIndex(CollectorProperties properties) {
        return new DeadLetterIndex(properties.deadLetters().maxIndexed());
    }

    /** Twice the index: an action is forgotten only well after its dead letter left the index. */
    @Bean
    ActionLedger actionLedger(CollectorProperties properties) {
        return new ActionLedger(2 * properties.deadLetters().maxIndexed());
    }
}
