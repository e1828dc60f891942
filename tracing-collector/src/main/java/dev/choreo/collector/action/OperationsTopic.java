package dev.choreo.collector.action;

import dev.choreo.collector.CollectorProperties;
import dev.choreo.events.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Creates {@code operations-events} if nobody has yet, with as many partitions as {@code order-events}
 * (co-partitioning). Never alters an existing topic: adding partitions would move orders to other partitions.
 */
@Component
class OperationsTopic implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(OperationsTopic.class);

    private final KafkaAdmin kafkaAdmin;
    private final CollectorProperties properties;

    OperationsTopic(KafkaAdmin kafkaAdmin, CollectorProperties properties) {
        this.kafkaAdmin = kafkaAdmin;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (properties.operationsTopic().create()) {
            // off the main thread: a broker that is not up yet must not hold back readiness
            Thread creator = new Thread(this::createIfMissing, "operations-topic");
            creator.setDaemon(true);
            creator.start();
        }
    }

    private void createIfMissing() {
        long timeout = properties.diagnosis().adminTimeout().toMillis();
        Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties());
        try {
            if (partitions(admin, Topics.OPERATIONS_EVENTS, timeout) > 0) {
                return;
            }
            int orderPartitions = partitions(admin, Topics.ORDER_EVENTS, timeout);
            int partitions = orderPartitions > 0 ? orderPartitions : properties.operationsTopic().partitions();
            admin.createTopics(List.of(new NewTopic(Topics.OPERATIONS_EVENTS, Optional.of(partitions),
                    Optional.empty()))).all().get(timeout, TimeUnit.MILLISECONDS);
            log.info("Created {} with {} partitions", Topics.OPERATIONS_EVENTS, partitions);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                log.warn("Could not create {}: {}", Topics.OPERATIONS_EVENTS, e.getCause().getMessage());
            }
        } catch (Exception e) {
            // the collector still reads and diagnoses; cancelling waits until the topic exists
            log.warn("Could not create {}: {}", Topics.OPERATIONS_EVENTS, e.getMessage());
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    private static int partitions(Admin admin, String topic, long timeout) throws Exception {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(timeout, TimeUnit.MILLISECONDS);
            return described.get(topic).partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return 0;
            }
            throw e;
        }
    }
}
