package dev.choreo.collector.ingest;

import dev.choreo.collector.CollectorProperties;
import dev.choreo.collector.PeriodicTask;
import dev.choreo.collector.diagnosis.ConsumerGroupProbe;
import dev.choreo.collector.process.ProcessStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Asks the broker for the end offsets of every topic-partition this instance reads (every
 * {@code broker-check.interval}) and tells the process store, for each one read up to its end, that it was read to
 * the end as of the request: a watermark advances no further. The consumer's own lag cannot say that: it is the
 * lag as of its last fetch, and while the broker is unreachable it stays 0, so without this check the deadlines ran
 * on through a broker outage and flagged every process whose next event was held in a producer.
 *
 * <p>When the broker does not answer, every watermark is held at the last confirmation, and stays held for
 * {@code broker-check.hold-after-outage} after it answers again: the records the services' Kafka clients and
 * outboxes kept through the outage arrive a little after the broker is back, and a process they move on was never
 * stuck.
 */
@Component
class ReadToEndConfirmer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReadToEndConfirmer.class);

    private final ConsumerGroupProbe probe;
    private final ProcessStore store;
    private final AppendClock appendClock;
    private final Clock clock;
    private final long holdAfterOutage;
    private final PeriodicTask task;

    /** When the last answered request was sent; -1 before the first. Written by the checking thread only. */
    private volatile long lastAnsweredAt = -1;
    /** When a request first went unanswered; -1 while the broker answers and no outage is held. */
    private volatile long unreachableSince = -1;
    /** When the broker answered again after an outage; -1 while it does not (or no outage is held). */
    private volatile long answeringAgainSince = -1;

    @Autowired
    ReadToEndConfirmer(ConsumerGroupProbe probe, ProcessStore store, AppendClock appendClock, Clock clock,
            CollectorProperties properties) {
        this(probe, store, appendClock, clock, properties.brokerCheck());
    }

    ReadToEndConfirmer(ConsumerGroupProbe probe, ProcessStore store, AppendClock appendClock, Clock clock,
            CollectorProperties.BrokerCheck settings) {
        this.probe = probe;
        this.store = store;
        this.appendClock = appendClock;
        this.clock = clock;
        this.holdAfterOutage = settings.holdAfterOutage().toMillis();
        // a failed check leaves the watermarks where the last one put them
        this.task = new PeriodicTask("read-to-end-check", settings.interval(), settings.interval(), this::check);
    }

    void check() {
        Set<TopicPartition> partitions = appendClock.partitions();
        if (partitions.isEmpty()) {
            return;
        }
        long askedAt = clock.millis();
        Map<TopicPartition, Long> ends;
        try {
            ends = probe.endOffsetsNow(partitions);
        } catch (ConsumerGroupProbe.ProbeException e) {
            unanswered(askedAt, e);
            return;
        }
        // the end was asked for at askedAt: whatever was appended before is below it, and the position (after the
        // batch that read it was applied) has passed it
        ends.forEach((tp, end) -> {
            if (appendClock.readPosition(tp.topic(), tp.partition()) >= end) {
                store.readToEnd(tp.topic(), tp.partition(), askedAt);
            }
        });
        answered(askedAt);
    }

    private void unanswered(long askedAt, Exception e) {
        answeringAgainSince = -1;
        if (unreachableSince < 0) {
            unreachableSince = askedAt;
            long heldAt = lastAnsweredAt < 0 ? askedAt : lastAnsweredAt;
            store.holdWatermarks(heldAt);
            log.warn("Kafka did not answer for the end offsets ({}): deadlines held at {} until it answers again",
                    e.getMessage(), Instant.ofEpochMilli(heldAt));
        }
    }

    private void answered(long askedAt) {
        lastAnsweredAt = askedAt;
        if (unreachableSince < 0) {
            return;
        }
        if (answeringAgainSince < 0) {
            answeringAgainSince = askedAt;
            log.info("Kafka answers again after {} ms; deadlines stay held {} ms more for the records held meanwhile",
                    askedAt - unreachableSince, holdAfterOutage);
        } else if (askedAt - answeringAgainSince >= holdAfterOutage) {
            store.releaseWatermarks();
            unreachableSince = -1;
            answeringAgainSince = -1;
            log.info("Deadlines run again after the broker outage");
        }
    }

    /** What the health endpoint tells about the broker; empty while it answers and no outage is held. */
    Optional<String> outage() {
        long since = unreachableSince;
        if (since < 0) {
            return Optional.empty();
        }
        String heldAt = store.watermarksHeldAt().stream().mapToObj(Instant::ofEpochMilli).map(Instant::toString)
                .findFirst().orElse("?");
        long again = answeringAgainSince;
        return Optional.of(again < 0
                ? "Kafka unreachable since " + Instant.ofEpochMilli(since) + ": deadlines held at " + heldAt
                        + ", no process is flagged for the outage"
                : "Kafka answers again since " + Instant.ofEpochMilli(again) + " after an outage from "
                        + Instant.ofEpochMilli(since) + ": deadlines held at " + heldAt + " until "
                        + Instant.ofEpochMilli(again + holdAfterOutage) + " for the records held meanwhile");
    }

    @Override
    public void start() {
        task.start();
    }

    @Override
    public void stop() {
        task.stop();
    }

    @Override
    public boolean isRunning() {
        return task.isRunning();
    }
}
