package dev.choreo.messaging.outbox;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Creates the suite's topics and waits until every partition has a leader that serves it, before the relay produces
 * a single record. A producer that writes to a just-created partition before its leader is loaded can stall for its
 * whole delivery timeout (KAFKA-14359, seen on our machines). A leader in the metadata is not enough (a produce
 * right after was still answered NOT_LEADER_OR_FOLLOWER at a cold start): the partition's end offset, which only
 * its loaded leader answers, is asked too.
 */
class TopicReadiness {

    private final KafkaAdmin kafkaAdmin;
    private final List<NewTopic> topics;

    TopicReadiness(KafkaAdmin kafkaAdmin, List<NewTopic> topics) {
        this.kafkaAdmin = kafkaAdmin;
        this.topics = List.copyOf(topics);
    }

    /**
     * @return {@code null} once every topic exists with a leader for every partition, else what is missing
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

    @Override
    public String toString() {
        return Arrays.toString(topics.stream().map(NewTopic::name).toArray());
    }
}
