package dev.choreo.collector.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.choreo.collector.action.ActionResult;
import dev.choreo.collector.action.OperatorActions;
import dev.choreo.collector.action.ProcessNotFoundException;
import dev.choreo.collector.diagnosis.Diagnosis;
import dev.choreo.collector.diagnosis.Diagnostician;
import dev.choreo.collector.flow.Outcome;
import dev.choreo.collector.process.ProcessStore;
import dev.choreo.collector.process.ProcessSummary;
import dev.choreo.collector.process.ProcessView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Processes: list by status, one with its timeline and diagnosis, and the operator actions. */
@RestController
@RequestMapping("/processes")
class ProcessController {

    private final ProcessStore store;
    private final Diagnostician diagnostician;
    private final OperatorActions actions;

    ProcessController(ProcessStore store, Diagnostician diagnostician, OperatorActions actions) {
        this.store = store;
        this.diagnostician = diagnostician;
        this.actions = actions;
    }

    @GetMapping
    List<ProcessListItem> list(@RequestParam(required = false) String status,
            @RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit) {
        Outcome outcome = parseStatus(status);
        return store.list(outcome, limit).stream().map(this::item).toList();
    }

    @GetMapping("/{correlationId}")
    ProcessDetail get(@PathVariable @Size(max = 200) String correlationId) {
        ProcessView process = store.find(correlationId)
                .orElseThrow(() -> new ProcessNotFoundException(correlationId));
        return new ProcessDetail(process, diagnostician.diagnose(process));
    }

    @PostMapping("/{correlationId}/redrive")
    @ResponseStatus(HttpStatus.ACCEPTED)
    ActionResult redrive(@PathVariable @Size(max = 200) String correlationId,
            @RequestBody(required = false) @Valid ActionRequest request) {
        return actions.redrive(correlationId, requestedBy(request));
    }

    @PostMapping("/{correlationId}/cancel")
    @ResponseStatus(HttpStatus.ACCEPTED)
    ActionResult cancel(@PathVariable @Size(max = 200) String correlationId,
            @RequestBody(required = false) @Valid ActionRequest request) {
        String reason = request == null || request.reason() == null || request.reason().isBlank()
                ? "cancelled by an operator" : request.reason();
        return actions.cancel(correlationId, reason, requestedBy(request));
    }

    private ProcessListItem item(ProcessSummary summary) {
        Diagnosis diagnosis = null;
        if (summary.outcome() == Outcome.STUCK || summary.outcome() == Outcome.FAILED) {
            diagnosis = store.find(summary.correlationId()).map(diagnostician::diagnose).orElse(null);
        }
        return new ProcessListItem(summary, diagnosis);
    }

    private static String requestedBy(ActionRequest request) {
        return request == null || request.requestedBy() == null || request.requestedBy().isBlank() ? "operator"
                : request.requestedBy();
    }

    private static Outcome parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return Outcome.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadStatusException(status);
        }
    }

    /** A process with its diagnosis (present when STUCK or FAILED). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ProcessDetail(@JsonUnwrapped ProcessView process, Diagnosis diagnosis) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ProcessListItem(@JsonUnwrapped ProcessSummary summary, Diagnosis diagnosis) {
    }

    /** Optional body of an action: who asks and why. */
    record ActionRequest(@Size(max = 200) String reason, @Size(max = 100) String requestedBy) {
    }

    static final class BadStatusException extends RuntimeException {

        BadStatusException(String status) {
            super("unknown status '" + status + "'");
        }
    }
}
