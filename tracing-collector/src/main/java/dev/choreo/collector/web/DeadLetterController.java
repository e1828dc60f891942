package dev.choreo.collector.web;

import dev.choreo.collector.deadletter.DeadLetterActionReport;
import dev.choreo.collector.deadletter.DeadLetterFilter;
import dev.choreo.collector.deadletter.DeadLetterInspection;
import dev.choreo.collector.deadletter.DeadLetterPage;
import dev.choreo.collector.deadletter.DeadLetterStatus;
import dev.choreo.collector.deadletter.DeadLetterWorkbench;
import dev.choreo.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dead-letter workbench, all under {@code /dead-letters} (one prefix for access rules). Answered by the instance
 * asked: every instance indexes every dead-letter topic.
 */
@RestController
@RequestMapping("/dead-letters")
class DeadLetterController {

    private final DeadLetterWorkbench workbench;

    DeadLetterController(DeadLetterWorkbench workbench) {
        this.workbench = workbench;
    }

    @GetMapping
    DeadLetterPage list(@RequestParam(required = false) String topic, @RequestParam(required = false) String reason,
            @RequestParam(required = false) String group,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(required = false) String orderId, @RequestParam(required = false) String correlationId,
            @RequestParam(required = false) DeadLetterStatus status,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        return workbench.list(new DeadLetterFilter(topic, reason, group, from, to, orderId, correlationId, status),
                page, size);
    }

    @GetMapping("/{topic}/{partition}/{offset}")
    DeadLetterInspection inspect(@PathVariable String topic, @PathVariable int partition, @PathVariable long offset) {
        return workbench.inspect(topic + ":" + partition + ":" + offset);
    }

    @PostMapping("/redrive")
    DeadLetterActionReport redrive(@RequestBody @Valid ActionRequest request) {
        return act(DeadLetterWorkbench.REDRIVE, request);
    }

    @PostMapping("/discard")
    DeadLetterActionReport discard(@RequestBody @Valid ActionRequest request) {
        return act(DeadLetterWorkbench.DISCARD, request);
    }

    private DeadLetterActionReport act(String action, ActionRequest request) {
        if ((request.ids() == null) == (request.filter() == null)) {
            throw new BadSelectionException();
        }
        return workbench.act(action, request.ids(), request.filter(), Boolean.TRUE.equals(request.dryRun()),
                Boolean.TRUE.equals(request.force()),
                Caller.current().name(), request.note());
    }


    /**
     * Either {@code ids} or {@code filter}.
     *
     * @param dryRun only count what the action would touch
     * @param force  re-drive parked dead letters too
     * @param note   why, kept in the audit record
     */
    record ActionRequest(@Size(max = 10_000) List<@Size(max = 300) String> ids, DeadLetterFilter filter,
            Boolean dryRun, Boolean force, @Size(max = 200) String note) {
    }

    static final class BadSelectionException extends RuntimeException {

        BadSelectionException() {
            super("give either ids (a selection) or filter (everything it matches), not both and not neither");
        }
    }
}
