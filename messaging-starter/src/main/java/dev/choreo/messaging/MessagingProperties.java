package dev.choreo.messaging;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings shared by every service, under {@code choreo.messaging}.
 *
 * @param partitions        partition count of every process topic; must be equal on all topics (co-partitioning)
 * @param replicationFactor replication factor of the topics the services create
 * @param retry             how a record whose handler failed is tried again before it is dead-lettered
 * @param inbox             the batch listener that feeds the service's event handlers
 * @param outbox            the relay that sends committed outbox rows to Kafka
 */
@Validated
@ConfigurationProperties("choreo.messaging")
public record MessagingProperties(
        @DefaultValue("6") @Min(1) @Max(1000) int partitions,
        @DefaultValue("1") @Min(1) @Max(10) short replicationFactor,
        @Valid @NotNull @DefaultValue Retry retry,
        @Valid @NotNull @DefaultValue Inbox inbox,
        @Valid @NotNull @DefaultValue Outbox outbox) {

    /**
     * @param attempts              attempts of a record whose handler fails deterministically (a bug, a constraint
     *                              that will never hold), the first included; then it goes to the dead-letter topic
     * @param initialBackoff        pause before the second attempt; doubles each time
     * @param transientBackoff      first pause after a transient failure (lost connection, lock or statement
     *                              timeout, a gateway that says "try again"); doubles up to the maximum. Transient
     *                              failures are retried until they succeed, never dead-lettered
     * @param transientMaxBackoff   longest pause between two tries of a transient failure
     */
    public record Retry(@DefaultValue("3") @Min(1) @Max(20) int attempts,
            @DefaultValue("100ms") @NotNull Duration initialBackoff,
            @DefaultValue("500ms") @NotNull Duration transientBackoff,
            @DefaultValue("15s") @NotNull Duration transientMaxBackoff) {
    }

    /**
     * @param concurrency        consumer threads of the service's event listener (each takes a share of the
     *                           partitions)
     * @param processedRetention how long a handled event's id is remembered ({@code processed_event}), so that its
     *                           redelivery is skipped. Must be longer than any redelivery window: the retention of
     *                           the subscribed topics (Kafka's default: 7 days), after which a record cannot be
     *                           delivered again
     * @param purgeInterval      how often older rows are deleted
     */
    public record Inbox(@DefaultValue("1") @Min(1) @Max(64) int concurrency,
            @DefaultValue("8d") @NotNull @DurationMin(hours = 1) Duration processedRetention,
            @DefaultValue("1h") @NotNull @DurationMin(seconds = 1) Duration purgeInterval) {
    }

    /**
     * @param batchSize      most outbox rows sent and deleted in one round
     * @param idlePoll       how often an idle relay looks for rows committed by another instance of the service (its
     *                       own commits wake it at once)
     * @param lease          how long a relay holds the right to send for its service; another instance takes over
     *                       this long after a crash
     * @param retryBackoff   first pause after a failed send (broker away); doubles up to {@code retryMaxBackoff}
     * @param retryMaxBackoff longest pause between two tries of a failed send
     */
    public record Outbox(@DefaultValue("500") @Min(1) @Max(10_000) int batchSize,
            @DefaultValue("200ms") @NotNull Duration idlePoll,
            @DefaultValue("10s") @NotNull Duration lease,
            @DefaultValue("200ms") @NotNull Duration retryBackoff,
            @DefaultValue("5s") @NotNull Duration retryMaxBackoff) {
    }
}
