package dev.choreo.collector.instances;

import dev.choreo.collector.diagnosis.ConsumerGroupProbe;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger log = LoggerFactory.getLogger(CollectorInstances.class);

    private final ConsumerGroupProbe probe;
    private final ThisInstance self;
    private final String groupId;
    private volatile List<Instance> lastSeen;

    CollectorInstances(ConsumerGroupProbe probe, ThisInstance self,
            @Value("${spring.kafka.consumer.group-id}") String groupId) {
        this.probe = probe;
        this.self = self;
        this.groupId = groupId;
    }

    /**
     * The live instances other than this one, with the partition numbers each owns. When the Admin API does not
     * answer, the membership it last gave (a lone instance keeps answering while Kafka is away).
     *
     * @throws ConsumerGroupProbe.ProbeException the Admin API did not answer, and never did
     */
    public List<Instance> others() throws ConsumerGroupProbe.ProbeException {
        Collection<MemberDescription> members;
        try {
            members = probe.liveMembers(groupId);
        } catch (ConsumerGroupProbe.ProbeException e) {
            List<Instance> known = lastSeen;
            if (known == null) {
                throw e;
            }
            log.warn("Kafka did not say which collector instances are live ({}); using the {} it last named",
                    e.getMessage(), known.size());
            return known;
        }
        Map<String, Instance> byName = new LinkedHashMap<>();
        for (MemberDescription member : members) {
            // a consumer without an advertised URL (an older collector) is listed under its client id: unreachable
            Optional<String> url = ThisInstance.urlOf(member.clientId());
            Instance instance = byName.computeIfAbsent(url.orElse(member.clientId()),
                    name -> new Instance(name, url.isPresent(), new TreeSet<>()));
            for (TopicPartition tp : member.assignment().topicPartitions()) {
                instance.partitions().add(tp.partition());
            }
        }
        byName.remove(self.url());
        lastSeen = List.copyOf(byName.values());
        return lastSeen;
    }

    /**
     * @param name        its URL, or the client id of a consumer that advertises none
     * @param addressable whether {@code name} is a URL to ask
     * @param partitions  the partition numbers it owns
     */
    public record Instance(String name, boolean addressable, SortedSet<Integer> partitions) {
    }
}
