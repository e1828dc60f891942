package dev.choreo.collector.instances;

import dev.choreo.collector.diagnosis.ConsumerGroupProbe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The other live collector instances, as the collector's consumer group knows them now: each one's URL (from its
 * consumers' client ids, see {@link ThisInstance}) and the partition numbers it owns (its members' assignment).
 * One Admin call answers both, from the same source that decides ownership, so the two cannot disagree: a member
 * that died leaves the group (session timeout) at the moment its partitions move.
 */
@Component
public class CollectorInstances {

    private final ConsumerGroupProbe probe;
    private final ThisInstance self;
    private final String groupId;

    CollectorInstances(ConsumerGroupProbe probe, ThisInstance self,
            @Value("${spring.kafka.consumer.group-id}") String groupId) {
        this.probe = probe;
        this.self = self;
        this.groupId = groupId;
    }

    /**
     * The live instances other than this one, with the partition numbers each owns.
     *
     * @throws ConsumerGroupProbe.ProbeException the Admin API did not answer
     */
    public List<Instance> others() throws ConsumerGroupProbe.ProbeException {
        Map<String, Instance> byName = new LinkedHashMap<>();
        for (MemberDescription member : probe.liveMembers(groupId)) {
            // a consumer without an advertised URL (an older collector) is listed under its client id: unreachable
            Optional<String> url = ThisInstance.urlOf(member.clientId());
            Instance instance = byName.computeIfAbsent(url.orElse(member.clientId()),
                    name -> new Instance(name, url.isPresent(), new TreeSet<>()));
            for (TopicPartition tp : member.assignment().topicPartitions()) {
                instance.partitions().add(tp.partition());
            }
        }
        byName.remove(self.url());
        return new ArrayList<>(byName.values());
    }

    /**
     * @param name        its URL, or the client id of a consumer that advertises none
     * @param addressable whether {@code name} is a URL to ask
     * @param partitions  the partition numbers it owns
     */
    public record Instance(String name, boolean addressable, SortedSet<Integer> partitions) {
    }
}
