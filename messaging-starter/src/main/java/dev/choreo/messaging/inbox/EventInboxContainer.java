package dev.choreo.messaging.inbox;

import dev.choreo.messaging.MessagingProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerPausingBackOffHandler;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerContainerPauseService;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Runs the {@link EventInbox}: one consumer group per service (named after it), subscribed to the topics of the
 * event types its {@link EventHandler}s declare. Built when the application starts, once every handler is known.
 *
 * <p>Only transient failures reach the container's error handler (the inbox handles the rest): it pauses the
 * container for an exponential back-off without end, so polling goes on (no rebalance) while nothing is consumed,
 * and then redelivers from the failed record.
 */
class EventInboxContainer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventInboxContainer.class);

    private final EventHandlers handlers;
    private final EventInbox inbox;
    private final Map<String, Object> consumerProperties;
    private final MessagingProperties properties;
    private final MeterRegistry meters;
    private ThreadPoolTaskScheduler scheduler;
    private ConcurrentMessageListenerContainer<String, byte[]> container;

    EventInboxContainer(EventHandlers handlers, EventInbox inbox, Map<String, Object> consumerProperties,
            MessagingProperties properties, MeterRegistry meters) {
        this.handlers = handlers;
        this.inbox = inbox;
        this.consumerProperties = consumerProperties;
        this.properties = properties;
        this.meters = meters;
    }

    @Override
    public synchronized void start() {
        if (handlers.all().isEmpty()) {
            log.info("No @EventHandler methods: this service consumes no events");
            return;
        }
        scheduler = new ThreadPoolTaskScheduler();
        scheduler.setThreadNamePrefix("inbox-resume-");
        scheduler.initialize();

        var containerProperties = new ContainerProperties(handlers.topics().toArray(String[]::new));
        containerProperties.setMessageListener(inbox);
        containerProperties.setClientId(String.valueOf(consumerProperties.get(ConsumerConfig.GROUP_ID_CONFIG)));
        var consumers = new DefaultKafkaConsumerFactory<>(consumerProperties, new StringDeserializer(),
                new ByteArrayDeserializer());
        // the Kafka client's metrics (records-lag among them) in the registry, as Boot's own factory does
        consumers.addListener(new MicrometerConsumerListener<>(meters));
        container = new ConcurrentMessageListenerContainer<>(consumers, containerProperties);
        container.setBeanName("choreo-inbox");
        container.setConcurrency(properties.inbox().concurrency());

        var backOff = new ExponentialBackOff(properties.retry().transientBackoff().toMillis(), 2.0);
        backOff.setMaxInterval(properties.retry().transientMaxBackoff().toMillis());
        var pausing = new ContainerPausingBackOffHandler(new ListenerContainerPauseService(null, scheduler));
        var errorHandler = new DefaultErrorHandler((record, failure) -> {
            throw new IllegalStateException("transient failures are never recovered", failure);
        }, backOff, pausing);
        container.setCommonErrorHandler(errorHandler);
        container.start();
        log.info("Consuming {} for {}", handlers.topics(), handlers.all());
    }

    /**
     * For readiness: empty once the inbox holds at least one partition of its topics (it is consuming), or when the
     * service consumes nothing. A consumer that joined its group before the topics existed holds none until the
     * rebalance that follows their creation, so having joined is not enough.
     */
    synchronized Optional<String> waitingForPartitions() {
        if (handlers.all().isEmpty()) {
            return Optional.empty();
        }
        Collection<TopicPartition> assigned = container == null ? null : container.getAssignedPartitions();
        return assigned != null && !assigned.isEmpty() ? Optional.empty()
                : Optional.of("no partition of " + handlers.topics() + " assigned to this instance yet");
    }

    @Override
    public synchronized void stop() {
        if (container != null) {
            container.stop();
            container = null;
        }
        if (scheduler != null) {
            scheduler.shutdown();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return container != null && container.isRunning();
    }
}
