package dev.choreo.messaging.outbox;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Creates the suite's topics and waits until every partition has a leader that serves it, before the relay produces
 * a single record. A producer that writes to a just-created partition before its leader is loaded can stall for its
 * whole delivery timeout (KAFKA-14359, seen on our machines). A leader in the metadata is not enough (a produce
 * right after was still answered NOT_LEADER_OR_FOLLOWER at a cold start): the partition's end offset, which only
 * its loaded leader answers, is asked too.
 * <p>
 * All topics share one partition count (the record key, the order id, must land on the same partition number of
 * every topic). A topic that exists with another count is never altered: Spring's {@code KafkaAdmin} would add
 * partitions to a topic that has fewer than a {@code NewTopic} asks for, growing the topics of every other service
 * and moving keys between partitions, so the suite does not declare its topics to it. Instead the service refuses
 * to start, naming the topic and both counts; if the broker could not be asked at start-up, the relay finds the
 * difference before its first send and never sends (readiness and the {@code outbox} health say why).
 */
class TopicReadiness implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(TopicReadiness.class);
    /** How long start-up waits for the broker to describe the topics. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaAdmin kafkaAdmin;
    private final List<NewTopic> topics;

    TopicReadiness(KafkaAdmin kafkaAdmin, List<NewTopic> topics) {
        this.kafkaAdmin = kafkaAdmin;
        this.topics = List.copyOf(topics);
    }

    /** At start-up, before any listener or relay runs: a partition count that differs is fatal. */
    @Override
    public void afterSingletonsInstantiated() {
        String differences;
        Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties());
        try {
            differences = partitionCountDifferences(existing(admin));
        } catch (ExecutionException | TimeoutException e) {
            // the broker may be away: the service starts anyway, its outbox keeps what it publishes meanwhile
            log.info("Could not compare the topics' partition counts at start-up ({}); the outbox relay compares "
                    + "them before its first send", e.toString());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while comparing the topics' partition counts", e);
        } finally {
            // not Admin.close(), which waits for calls to a broker that is away to time out
            admin.close(STARTUP_TIMEOUT);
        }
        if (differences != null) {
            throw new IllegalStateException("Refusing to start: " + differences);
        }
    }

    /**
     * @return {@code null} once every topic exists with the configured partition count and a leader for every
     *         partition, else what is missing or wrong
     */
    String check() throws InterruptedException {
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            try {
                admin.createTopics(topics).all().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    return "cannot create the topics: " + e.getCause();
                }
            }
            Map<String, TopicDescription> described = admin.describeTopics(
                    topics.stream().map(NewTopic::name).toList()).allTopicNames().get(10, TimeUnit.SECONDS);
            String differences = partitionCountDifferences(described);
            if (differences != null) {
                return differences;
            }
            String leaderless = described.values().stream()
                    .flatMap(t -> t.partitions().stream()
                            .filter(p -> p.leader() == null || p.leader().isEmpty())
                            .map(p -> t.name() + "-" + p.partition()))
                    .reduce((a, b) -> a + ", " + b).orElse(null);
            if (leaderless != null) {
                return "no leader yet for " + leaderless;
            }
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            described.values().forEach(t -> t.partitions().forEach(p ->
                    ends.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest())));
            try {
                admin.listOffsets(ends).all().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException notServingYet) {
                return "a leader does not serve its partition yet: " + notServingYet.getCause();
            }
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return "cannot describe the topics: " + e;
        }
    }

    /** The suite's topics that exist; a missing one is created later, by the relay. */
    private Map<String, TopicDescription> existing(Admin admin)
            throws ExecutionException, TimeoutException, InterruptedException {
        Map<String, TopicDescription> existing = new HashMap<>();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> topic : admin.describeTopics(
                topics.stream().map(NewTopic::name).toList(),
                new DescribeTopicsOptions().timeoutMs((int) STARTUP_TIMEOUT.toMillis())).topicNameValues().entrySet()) {
            try {
                existing.put(topic.getKey(), topic.getValue().get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        }
        return existing;
    }

    /** {@code null} if every described topic has its configured partition count, else each that has not. */
    private String partitionCountDifferences(Map<String, TopicDescription> described) {
        return topics.stream()
                .filter(topic -> described.containsKey(topic.name())
                        && described.get(topic.name()).partitions().size() != topic.numPartitions())
                .map(topic -> "topic " + topic.name() + " exists with " + described.get(topic.name()).partitions()
                        .size() + " partitions, but this service is configured for " + topic.numPartitions()
                        + " (choreo.messaging.partitions)")
                .reduce((a, b) -> a + "; " + b)
                .map(differences -> differences + ". All services and topics must share one partition count; the "
                        + "topics are never altered by a service")
                .orElse(null);
    }

    @Override
    public String toString() {
        return Arrays.toString(topics.stream().map(NewTopic::name).toArray());
    }
}
