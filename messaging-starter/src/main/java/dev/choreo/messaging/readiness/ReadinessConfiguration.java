package dev.choreo.messaging.readiness;

import java.time.Clock;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Readiness that means the service can do its job: the {@code startup} health component, which
 * {@code choreo-messaging-defaults.properties} puts into the {@code readiness} group next to Spring Boot's
 * {@code readinessState}.
 */
@Configuration(proxyBeanMethods = false)
public class ReadinessConfiguration {

    @Bean
    StartupHealthIndicator startupHealthIndicator(Map<String, ReadinessCondition> conditions, Clock clock) {
        return new StartupHealthIndicator(conditions, clock);
    }
}
