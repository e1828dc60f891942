package dev.choreo.collector.diagnosis;

import dev.choreo.collector.CollectorProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.common.IsolationLevel;
import java.util.Collection;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Asks the Kafka Admin API how a consumer group stands: its live members, what they are assigned and what it
 * committed, plus partition end offsets. Answers are cached briefly, so a thousand processes stuck behind one
 * service cost one question per group and partition, not one per process.
 */
@Component
public class ConsumerGroupProbe implements DisposableBean {

    private final Admin admin;
    private final long cacheNanos;
    private final long timeoutMillis;
    private final Map<String, Cached<GroupState>> groups = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Cached<Long>> endOffsets = new ConcurrentHashMap<>();

    ConsumerGroupProbe(KafkaAdmin kafkaAdmin, CollectorProperties properties) {
        this.admin = Admin.create(kafkaAdmin.getConfigurationProperties());
        this.cacheNanos = properties.diagnosis().cacheFor().toNanos();
        this.timeoutMillis = properties.diagnosis().adminTimeout().toMillis();
    }

    /** How a group stands, cached for {@code diagnosis.cache-for}. */
    public GroupState group(String groupId) throws ProbeException {
        Cached<GroupState> cached = groups.get(groupId);
        if (cached == null || cached.isStale(cacheNanos)) {
            cached = new Cached<>(describe(groupId));
            groups.put(groupId, cached);
        }
        return cached.value();
    }

    long endOffset(TopicPartition tp) throws ProbeException {
        Cached<Long> cached = endOffsets.get(tp);
        if (cached == null || cached.isStale(cacheNanos)) {
            long end = await(admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).toCompletionStage()
                    .toCompletableFuture()).offset();
            cached = new Cached<>(end);
            endOffsets.put(tp, cached);
        }
        return cached.value();
    }

    /**
     * The end offsets now (no cache), as a read-committed consumer sees them: what an auto-cancel checks the
     * collector has read before it cancels anything.
     */
    public Map<TopicPartition, Long> endOffsetsNow(Collection<TopicPartition> partitions) throws ProbeException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        var answers = await(admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .toCompletionStage().toCompletableFuture());
        Map<TopicPartition, Long> ends = new HashMap<>();
        answers.forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    /** The live members of a consumer group now (no cache: where to route a request is asked fresh). */
    public Collection<MemberDescription> liveMembers(String groupId) throws ProbeException {
        try {
            return await(admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId)
                    .toCompletionStage().toCompletableFuture()).members();
        } catch (ProbeException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }

    private GroupState describe(String groupId) throws ProbeException {
        ConsumerGroupDescription description;
        try {
            description = await(admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId)
                    .toCompletionStage().toCompletableFuture());
        } catch (ProbeException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                // a group that never joined: no members, nothing committed
                return new GroupState(0, Set.of(), Map.of(), "NOT_FOUND");
            }
            throw e;
        }
        Set<TopicPartition> assigned = new HashSet<>();
        for (MemberDescription member : description.members()) {
            assigned.addAll(member.assignment().topicPartitions());
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = await(admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().toCompletionStage().toCompletableFuture());
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach((tp, offset) -> {
            if (offset != null) {
                committed.put(tp, offset.offset());
            }
        });
        return new GroupState(description.members().size(), assigned, committed,
                String.valueOf(description.groupState()));
    }

    private <T> T await(CompletableFuture<T> future) throws ProbeException {
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted", e);
        } catch (ExecutionException e) {
            throw new ProbeException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new ProbeException("the Kafka Admin API did not answer within "
                    + Duration.ofMillis(timeoutMillis), e);
        }
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(2));
    }

    /**
     * @param members   live members now
     * @param assigned  topic-partitions assigned to them
     * @param committed committed offset per topic-partition
     * @param state     the group's state as the coordinator reports it
     */
    public record GroupState(int members, Set<TopicPartition> assigned, Map<TopicPartition, Long> committed, String state) {
    }

    private record Cached<T>(T value, long at) {

        Cached(T value) {
            this(value, System.nanoTime());
        }

        boolean isStale(long maxAgeNanos) {
            return System.nanoTime() - at > maxAgeNanos;
        }
    }

    public static final class ProbeException extends Exception {

        ProbeException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
