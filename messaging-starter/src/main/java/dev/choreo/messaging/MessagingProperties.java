package dev.choreo.messaging;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings shared by every service, under {@code choreo.messaging}.
 *
 * @param partitions        partition count of every process topic; must be equal on all topics (co-partitioning)
 * @param replicationFactor replication factor of the topics the services create
 * @param retry             bounded redelivery of a record whose handler failed, before it is dead-lettered
 * @param outbox            how the transactional outbox retries publications Kafka did not acknowledge
 */
@Validated
@ConfigurationProperties("choreo.messaging")
public record MessagingProperties(
        @DefaultValue("6") @Min(1) @Max(1000) int partitions,
        @DefaultValue("1") @Min(1) @Max(10) short replicationFactor,
        @Valid @NotNull @DefaultValue Retry retry,
        @Valid @NotNull @DefaultValue Outbox outbox) {

    /**
     * @param attempts       delivery attempts of one record, the first included
     * @param initialBackoff pause before the second attempt; doubles each time
     */
    public record Retry(@DefaultValue("4") @Min(1) @Max(20) int attempts,
            @DefaultValue("200ms") @NotNull Duration initialBackoff) {
    }

    /**
     * @param resubmitInterval how often failed publications are sent again (e.g. after the broker was down)
     */
    public record Outbox(@DefaultValue("5s") @NotNull Duration resubmitInterval) {
    }
}
