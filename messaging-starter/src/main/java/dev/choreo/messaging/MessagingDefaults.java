package dev.choreo.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Adds the suite's Kafka, outbox, actuator and logging defaults with the lowest precedence, so every service
 * starts from the same settings and can still override any of them in its own configuration.
 */
class MessagingDefaults implements EnvironmentPostProcessor {

    private static final String DEFAULTS = "choreo-messaging-defaults.properties";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            environment.getPropertySources().addLast(new ResourcePropertySource("choreoMessagingDefaults",
                    new ClassPathResource(DEFAULTS, MessagingDefaults.class.getClassLoader())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULTS, e);
        }
    }
}
