package dev.choreo.collector.deadletter;

import dev.choreo.collector.CollectorHeaders;
import dev.choreo.collector.CollectorProperties;
import dev.choreo.collector.action.ActionFailedException;
import dev.choreo.collector.metrics.CollectorMetrics;
import dev.choreo.collector.process.DeadLetter;
import dev.choreo.events.EventCatalog;
import dev.choreo.events.EventHeaders;
import dev.choreo.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The dead-letter workbench: list and inspect dead letters, re-drive or discard a selection or everything a filter
 * matches. Each action on a dead letter is keyed by its coordinates and recorded on {@code operations-events} (an audit
 * record the services skip), and the ledger of those records decides what was handled — also after a restart, since
 * an action first waits until the reader has read that topic to its end. So a retried request acts on nothing twice.
 */
@Service
public class DeadLetterWorkbench {

    public static final String REDRIVE = "redrive";
    public static final String DISCARD = "discard";
    /** Written by the services' dead-lettering (messaging-starter's DeadLetterBounds) when it cut a huge value. */
    private static final String VALUE_CUT = "dlt-original-value-bytes";
    /** Dead-letter headers and earlier provenance: the re-driven record carries the event's own headers only. */
    private static final Set<String> NOT_REDRIVEN = Set.of(CollectorHeaders.DLT_REASON,
            VALUE_CUT, CollectorHeaders.REDRIVEN_BY, CollectorHeaders.REDRIVEN_AT,
            RedriveHeaders.COUNT, RedriveHeaders.DEAD_LETTER, RedriveHeaders.ORIGINAL_TOPIC,
            RedriveHeaders.ORIGINAL_PARTITION, RedriveHeaders.ORIGINAL_OFFSET);

    private final DeadLetterIndex index;
    private final ActionLedger ledger;
    private final DeadLetterReader reader;
    private final DeadLetterRecords records;
    private final KafkaTemplate<byte[], byte[]> template;
    private final CollectorMetrics metrics;
    private final JsonMapper json;
    private final Clock clock;
    private final int maxRedrives;
    private final Duration timeout;

    DeadLetterWorkbench(DeadLetterIndex index, ActionLedger ledger, DeadLetterReader reader, DeadLetterRecords records,
            KafkaTemplate<byte[], byte[]> template, CollectorMetrics metrics, JsonMapper json, Clock clock,
            CollectorProperties properties) {
        this.index = index;
        this.ledger = ledger;
        this.reader = reader;
        this.records = records;
        this.template = template;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
        this.maxRedrives = properties.deadLetters().maxRedrives();
        this.timeout = properties.diagnosis().adminTimeout();
    }

    /** The dead letters a filter matches, newest first, one page of them. */
    public DeadLetterPage list(DeadLetterFilter filter, int page, int size) {
        List<DeadLetterEntry> matching = matching(filter);
        int from = (int) Math.min((long) page * size, matching.size());
        List<DeadLetterView> items = matching.subList(from, Math.min(from + size, matching.size())).stream()
                .map(this::view).toList();
        return new DeadLetterPage(matching.size(), page, size, items, index.size(), index.dropped());
    }

    /** One dead letter with its record as it is in Kafka. */
    public DeadLetterInspection inspect(String id) {
        DeadLetterEntry entry = index.find(id).orElseThrow(() -> new DeadLetterNotFoundException(id));
        ConsumerRecord<byte[], byte[]> record = records.fetch(List.of(entry)).get(id);
        if (record == null) {
            throw new DeadLetterGoneException(id);
        }
        DeadLetter cause = new DeadLetter(entry.group(), DeadLetterEntry.text(record, CollectorHeaders.DLT_REASON),
                DeadLetterEntry.text(record, CollectorHeaders.DLT_EXCEPTION_CLASS),
                DeadLetterEntry.text(record, CollectorHeaders.DLT_EXCEPTION_MESSAGE), entry.originalTopic(),
                entry.originalPartition(), entry.originalOffset());
        return DeadLetterInspection.of(view(entry), cause.cause(), record);
    }

    /**
     * Re-drives or discards the dead letters named by {@code ids}, or else all those {@code filter} matches. Serialized:
     * a retried request waits for the first and then finds its dead letters handled.
     *
     * @param dryRun only count what the action would touch
     * @param force  re-drive parked dead letters too
     */
    public synchronized DeadLetterActionReport act(String action, List<String> ids, DeadLetterFilter filter,
            boolean dryRun, boolean force, String requestedBy, String note) {
        awaitLedger();
        Map<String, DeadLetterEntry> selected = new LinkedHashMap<>();
        List<DeadLetterActionReport.Result> results = new ArrayList<>();
        int parked = 0;
        int handled = 0;
        int unknown = 0;
        List<String> named = ids == null ? null : ids.stream().distinct().toList();
        List<DeadLetterEntry> targets = named != null ? named.stream().map(id -> index.find(id).orElse(null))
                .toList() : matching(filter);
        for (int i = 0; i < targets.size(); i++) {
            DeadLetterEntry entry = targets.get(i);
            if (entry == null) {
                unknown++;
                results.add(new DeadLetterActionReport.Result(named.get(i), "NOT_FOUND", null));
                continue;
            }
            DeadLetterStatus status = status(entry);
            if (status == DeadLetterStatus.REDRIVEN || status == DeadLetterStatus.DISCARDED) {
                handled++;
                results.add(new DeadLetterActionReport.Result(entry.id(), "ALREADY_" + status, null));
            } else if (status == DeadLetterStatus.PARKED && action.equals(REDRIVE) && !force) {
                parked++;
                results.add(new DeadLetterActionReport.Result(entry.id(), "PARKED",
                        "re-driven " + entry.redriveCount() + " times already: discard it, or force the re-drive"));
            } else {
                selected.put(entry.id(), entry);
            }
        }
        if (dryRun) {
            return new DeadLetterActionReport(action, true, targets.size(), selected.size(), parked, handled, unknown,
                    0, 0, List.of());
        }
        int before = results.size();
        if (action.equals(REDRIVE)) {
            redrive(selected, requestedBy, note, force, results);
        } else {
            discard(selected.values(), requestedBy, note, results);
        }
        int done = (int) results.subList(before, results.size()).stream().filter(r -> r.outcome().equals("REDRIVEN")
                || r.outcome().equals("DISCARDED")).count();
        return new DeadLetterActionReport(action, false, targets.size(), selected.size(), parked, handled, unknown,
                done, selected.size() - done, results);
    }

    /**
     * The original record to its original topic and partition, then the audit record; a dead letter counts as handled
     * only once both are acknowledged. A crash between the two re-drives it again on the next request: the services
     * are idempotent on the event id, so that costs a skipped duplicate, where the other order could lose a re-drive.
     */
    private void redrive(Map<String, DeadLetterEntry> selected, String requestedBy, String note, boolean force,
            List<DeadLetterActionReport.Result> results) {
        if (selected.isEmpty()) {
            return;
        }
        Map<String, ConsumerRecord<byte[], byte[]>> fetched = records.fetch(selected.values());
        long now = clock.millis();
        Map<DeadLetterEntry, CompletableFuture<SendResult<byte[], byte[]>>> sends = new LinkedHashMap<>();
        for (DeadLetterEntry entry : selected.values()) {
            ConsumerRecord<byte[], byte[]> record = fetched.get(entry.id());
            if (record == null) {
                results.add(new DeadLetterActionReport.Result(entry.id(), "GONE", "no longer in Kafka (retention)"));
            } else if (record.headers().lastHeader(VALUE_CUT) != null) {
                results.add(new DeadLetterActionReport.Result(entry.id(), "TRUNCATED",
                        "its value was cut when it was dead-lettered: it cannot be re-driven, only discarded"));
            } else {
                sends.put(entry, template.send(redriven(entry, record, requestedBy, now)));
            }
        }
        Map<DeadLetterEntry, ObjectNode> audits = new LinkedHashMap<>();
        for (Map.Entry<DeadLetterEntry, CompletableFuture<SendResult<byte[], byte[]>>> send : sends.entrySet()) {
            DeadLetterEntry entry = send.getKey();
            try {
                RecordMetadata sent = await(send.getValue()).getRecordMetadata();
                ObjectNode audit = audit(REDRIVE, entry, requestedBy, now, note);
                audit.put("redrivenTo", sent.topic() + "-" + sent.partition() + "@" + sent.offset())
                        .put("redriveCount", entry.redriveCount() + 1).put("forced", force);
                audits.put(entry, audit);
            } catch (ActionFailedException e) {
                results.add(new DeadLetterActionReport.Result(entry.id(), "FAILED", e.getMessage()));
            }
        }
        record(audits, results, "REDRIVEN");
    }

    private void discard(Iterable<DeadLetterEntry> selected, String requestedBy, String note,
            List<DeadLetterActionReport.Result> results) {
        long now = clock.millis();
        Map<DeadLetterEntry, ObjectNode> audits = new LinkedHashMap<>();
        selected.forEach(entry -> audits.put(entry, audit(DISCARD, entry, requestedBy, now, note)));
        record(audits, results, "DISCARDED");
    }

    /** Publishes the audit records, then remembers each acknowledged one in the ledger. */
    private void record(Map<DeadLetterEntry, ObjectNode> audits, List<DeadLetterActionReport.Result> results,
            String outcome) {
        int partitions = audits.isEmpty() ? 0 : template.partitionsFor(Topics.OPERATIONS_EVENTS).size();
        Map<DeadLetterEntry, CompletableFuture<SendResult<byte[], byte[]>>> sends = new LinkedHashMap<>();
        audits.forEach((entry, audit) -> sends.put(entry, template.send(auditRecord(entry, audit, partitions))));
        sends.forEach((entry, send) -> {
            ObjectNode audit = audits.get(entry);
            try {
                await(send);
                ledger.record(entry.id(), new ActionLedger.Handled(audit.get("action").asString(),
                        audit.get("requestedBy").asString(), audit.get("at").asLong(),
                        audit.path("redrivenTo").asString(null)));
                metrics.action("dead-letter-" + audit.get("action").asString());
                results.add(new DeadLetterActionReport.Result(entry.id(), outcome,
                        audit.path("redrivenTo").asString(null)));
            } catch (ActionFailedException e) {
                results.add(new DeadLetterActionReport.Result(entry.id(), "FAILED",
                        "the audit record was not written, so the action is not recorded: " + e.getMessage()));
            }
        });
    }

    private ProducerRecord<byte[], byte[]> redriven(DeadLetterEntry entry, ConsumerRecord<byte[], byte[]> record,
            String requestedBy, long now) {
        ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(entry.originalTopic(), entry.originalPartition(),
                record.key(), record.value());
        for (Header header : record.headers()) {
            if (!header.key().startsWith("kafka_dlt-") && !NOT_REDRIVEN.contains(header.key())) {
                copy.headers().add(header);
            }
        }
        copy.headers().add(CollectorHeaders.REDRIVEN_BY, utf8(requestedBy))
                .add(CollectorHeaders.REDRIVEN_AT, utf8(Long.toString(now)))
                .add(RedriveHeaders.COUNT, utf8(Integer.toString(entry.redriveCount() + 1)))
                .add(RedriveHeaders.DEAD_LETTER, utf8(entry.id()))
                .add(RedriveHeaders.ORIGINAL_TOPIC, utf8(entry.originalTopic()))
                .add(RedriveHeaders.ORIGINAL_PARTITION, utf8(Integer.toString(entry.originalPartition())))
                .add(RedriveHeaders.ORIGINAL_OFFSET, utf8(Long.toString(entry.originalOffset())));
        return copy;
    }

    private ObjectNode audit(String action, DeadLetterEntry entry, String requestedBy, long now, String note) {
        ObjectNode audit = json.createObjectNode().put("action", action).put("deadLetter", entry.id())
                .put("reason", entry.reason()).put("correlationId", entry.correlationId())
                .put("requestedBy", requestedBy).put("at", now);
        if (note != null && !note.isBlank()) {
            audit.put("note", note);
        }
        return audit;
    }

    /**
     * On the dead letter's partition number, keyed like it (co-partitioned with the order). The {@code eventType}
     * header names no type the services react to, so they skip the record unread.
     */
    private ProducerRecord<byte[], byte[]> auditRecord(DeadLetterEntry entry, ObjectNode audit, int partitions) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.OPERATIONS_EVENTS,
                entry.partition() < partitions ? entry.partition() : null,
                entry.orderId() == null ? null : utf8(entry.orderId()), json.writeValueAsBytes(audit));
        String type = audit.get("action").asString().equals(REDRIVE) ? "DeadLetterRedriven" : "DeadLetterDiscarded";
        record.headers().add(CollectorHeaders.DEAD_LETTER_ACTION, utf8(audit.get("action").asString()))
                .add(EventHeaders.EVENT_TYPE, utf8(type))
                .add(EventHeaders.PRODUCER, utf8(EventCatalog.TRACING_COLLECTOR));
        if (entry.correlationId() != null) {
            record.headers().add(EventHeaders.CORRELATION_ID, utf8(entry.correlationId()));
        }
        return record;
    }

    private void awaitLedger() {
        try {
            if (!reader.awaitReadToEnd(timeout)) {
                throw new ActionFailedException("could not confirm within " + timeout + " that every earlier action "
                        + "on operations-events has been read; nothing done", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionFailedException("interrupted", e);
        }
    }

    /**
     * Kafka's final answer (bounded by the producer's {@code delivery.timeout.ms}), not a shorter timeout of ours: a send
     * given up on here may still be written, and the dead letter would stay NEW and be re-driven twice.
     */
    private static <T> T await(CompletableFuture<T> send) {
        try {
            return send.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionFailedException("interrupted", e);
        } catch (ExecutionException e) {
            throw new ActionFailedException("Kafka did not take it: " + e.getCause().getMessage(), e);
        }
    }

    private List<DeadLetterEntry> matching(DeadLetterFilter filter) {
        return index.matching(entry -> filter.matches(entry, status(entry)));
    }

    private DeadLetterStatus status(DeadLetterEntry entry) {
        return ledger.find(entry.id()).map(handled -> handled.action().equals(REDRIVE) ? DeadLetterStatus.REDRIVEN
                : DeadLetterStatus.DISCARDED).orElse(entry.redriveCount() >= maxRedrives ? DeadLetterStatus.PARKED
                : DeadLetterStatus.NEW);
    }

    private DeadLetterView view(DeadLetterEntry entry) {
        return DeadLetterView.of(entry, status(entry), ledger.find(entry.id()).orElse(null));
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
