package dev.choreo.collector;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.Map;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The collector's settings (the declared flow is {@code choreo.flow}).
 *
 * @param topicPattern       every topic whose name matches is read: the process topics and their dead-letter
 *                           topics, including ones added later
 * @param tick               resolution of the deadline timers: a stuck process is flagged within one tick of its
 *                           deadline
 * @param maxTimelineEntries bound of one process's timeline (at most 255)
 * @param historySize        how many ended processes are kept for viewing
 * @param maxOpenProcesses   open processes (RUNNING, STUCK, FAILED) kept per instance, split evenly over the partition
 *                           numbers it owns; beyond, the least recently active one is evicted (outcome EVICTED)
 * @param maxOpenAge         a process open this long is evicted (outcome EVICTED)
 * @param maxDeadLetterProcesses open processes known only from dead letters, per instance; beyond, a dead letter of
 *                           an unknown process opens none and is only counted
 * @param autoCancel         the optional automatic cancellation of processes stuck too long
 * @param diagnosis          how the Kafka Admin API is asked about consumer groups
 * @param consumerGroups     consumer group of a service, where it is not named like the service
 * @param operationsTopic    partitions of {@code operations-events} if the collector has to create it (match
 *                           the other process topics: co-partitioning)
 * @param advertisedUrl      where the other instances reach this one over HTTP (it travels in the Kafka client id
 *                           of its consumers); unset: {@code http://127.0.0.1:} and the port it listens on
 * @param forwardTimeout     how long a request this instance forwards to another one may take
 * @param brokerCheck        how the collector confirms with the broker that it has read everything (the deadlines
 *                           advance no further than that), and what it does after an outage
 * @param deadLetters        the dead-letter workbench: how many dead letters it indexes, when it parks one
 * @param lag                how the consumer lag of the services' groups is measured in seconds
 * @param search             the business keys {@code GET /processes} can filter by
 */
@Validated
@ConfigurationProperties("choreo.collector")
public record CollectorProperties(
        @DefaultValue(".+-events(\\.DLT)?") @NotBlank String topicPattern,
        @DefaultValue("100ms") @NotNull @DurationMin(millis = 10) Duration tick,
        @DefaultValue("48") @Min(4) @Max(255) int maxTimelineEntries,
        @DefaultValue("100000") @Min(1) int historySize,
        @DefaultValue("1000000") @Min(1) int maxOpenProcesses,
        @DefaultValue("7d") @NotNull @DurationMin(minutes = 1) Duration maxOpenAge,
        @DefaultValue("10000") @Min(0) int maxDeadLetterProcesses,
        @DefaultValue @Valid @NotNull AutoCancel autoCancel,
        @DefaultValue @Valid @NotNull Diagnosis diagnosis,
        @DefaultValue Map<String, String> consumerGroups,
        @DefaultValue @Valid @NotNull OperationsTopic operationsTopic,
        @Pattern(regexp = "https?://[^\\s|]+", message = "must be an http(s) URL without spaces or '|'")
        String advertisedUrl,
        @DefaultValue("10s") @NotNull @DurationMin(millis = 100) Duration forwardTimeout,
        @DefaultValue @Valid @NotNull BrokerCheck brokerCheck,
        @DefaultValue @Valid @NotNull DeadLetters deadLetters,
        @DefaultValue @Valid @NotNull Lag lag,
        @DefaultValue @Valid @NotNull Search search) {

    public String groupOf(String service) {
        return consumerGroups == null ? service : consumerGroups.getOrDefault(service, service);
    }

    /**
     * @param enabled off by default: a person decides
     * @param after   how long a process may stay STUCK before the collector publishes its cancellation
     */
    public record AutoCancel(@DefaultValue("false") boolean enabled,
            @DefaultValue("10m") @NotNull @DurationMin(seconds = 1) Duration after) {
    }

    /**
     * @param cacheFor     how long one answer about a consumer group serves (a storm of stuck processes costs
     *                     one Admin call per group and partition, not one per process)
     * @param adminTimeout how long an Admin call may take
     * @param publishDelay from how long between an event's occurredAt and its being readable in Kafka the
     *                     diagnosis names its producer's outbox or the broker
     */
    public record Diagnosis(@DefaultValue("2s") @NotNull Duration cacheFor,
            @DefaultValue("5s") @NotNull @DurationMin(millis = 100) Duration adminTimeout,
            @DefaultValue("5s") @NotNull Duration publishDelay) {
    }

    /**
     * @param interval        how often the end offsets are asked for: a stall is flagged up to this much (plus the
     *                        answer's round trip) after its deadline
     * @param holdAfterOutage after the broker did not answer, how long the deadlines stay held once it answers
     *                        again: the records its clients and the services' outboxes kept meanwhile arrive first
     */
    public record BrokerCheck(@DefaultValue("500ms") @NotNull @DurationMin(millis = 50) Duration interval,
            @DefaultValue("10s") @NotNull Duration holdAfterOutage) {
    }

    /**
     * @param interval           how often every service group's committed offsets and the end offsets are asked for
     * @param offsetsPerPartition append times of the latest records read kept per topic-partition (16 bytes each):
     *                           the age of a group's next record is looked up there before it is fetched from Kafka
     * @param maxSeries          bound of the per-partition lag series; beyond, a group is reported by its maximum only
     */
    public record Lag(@DefaultValue("10s") @NotNull @DurationMin(millis = 100) Duration interval,
            @DefaultValue("1024") @Min(1) int offsetsPerPartition,
            @DefaultValue("1000") @Min(0) int maxSeries) {
    }

    /**
     * @param fields      business keys to index: a name (the query parameter) to a JSON path into the events' payloads
     *                    ({@code $.customerId}, {@code $.lines[*].sku}); values are taken at ingest
     * @param maxPerValue processes kept per value (the most recently indexed): bounds a value every order has
     */
    public record Search(@DefaultValue Map<String, String> fields,
            @DefaultValue("1000") @Min(1) int maxPerValue) {
    }

    /**
     * @param create     declare the topic at start-up if it is missing
     * @param partitions its partition count when created
     */
    public record OperationsTopic(@DefaultValue("true") boolean create, @DefaultValue("6") @Min(1) int partitions) {
    }

    /**
     * @param maxIndexed   dead letters indexed per instance (every instance indexes every {@code .DLT} topic);
     *                     beyond, the oldest indexed leaves the index (it stays in Kafka)
     * @param maxRedrives  a dead letter of a record re-driven this many times already is parked: not re-driven
     *                     again unless forced
     */
    public record DeadLetters(@DefaultValue("100000") @Min(1) int maxIndexed,
            @DefaultValue("3") @Min(1) int maxRedrives) {
    }
}
