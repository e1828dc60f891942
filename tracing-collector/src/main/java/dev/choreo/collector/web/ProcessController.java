package dev.choreo.collector.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.choreo.collector.action.OperatorActions;
import dev.choreo.collector.action.ProcessNotFoundException;
import dev.choreo.collector.diagnosis.Diagnosis;
import dev.choreo.collector.diagnosis.Diagnostician;
import dev.choreo.collector.flow.Outcome;
import dev.choreo.collector.process.ProcessQuery;
import dev.choreo.collector.process.ProcessStore;
import dev.choreo.collector.process.ProcessSummary;
import dev.choreo.collector.process.ProcessView;
import dev.choreo.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Processes: list by status, one with its timeline and diagnosis, and the operator actions. Any instance answers
 * any request: each holds the processes of the partitions it owns, so what it does not hold it asks the other live
 * instances for (the owner answers, see {@link OtherInstances}); a list merges every instance's list.
 */
@RestController
@RequestMapping("/processes")
class ProcessController {

    /** The query parameters of a list besides the business keys. */
    private static final List<String> FILTERS = List.of("status", "limit", "correlationId", "orderId", "step",
            "startedFrom", "startedTo", "activeFrom", "activeTo");

    private final ProcessStore store;
    private final Diagnostician diagnostician;
    private final OperatorActions actions;
    private final OtherInstances others;
    private final JsonMapper json;

    ProcessController(ProcessStore store, Diagnostician diagnostician, OperatorActions actions,
            OtherInstances others, JsonMapper json) {
        this.store = store;
        this.diagnostician = diagnostician;
        this.actions = actions;
        this.others = others;
        this.json = json;
        store.searchFields().stream().filter(FILTERS::contains).findFirst().ifPresent(name -> {
            throw new IllegalStateException("search field '" + name + "' has the name of a fixed filter of GET /processes");
        });
    }

    /**
     * The processes that match every filter given: {@code status}, {@code correlationId}, {@code orderId}, {@code step}
     * (the current step), {@code startedFrom}/{@code startedTo} (first event), {@code activeFrom}/{@code activeTo}
     * (latest event; ISO instants, from inclusive, to exclusive), and each configured business key by its name
     * ({@code customerId}, {@code sku}, ...). Another instance gets the same filters and answers for its processes.
     */
    @GetMapping
    List<?> list(@RequestParam(required = false) String status,
            @RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit,
            @RequestParam(required = false) @Size(max = 200) String correlationId,
            @RequestParam(required = false) @Size(max = 200) String orderId,
            @RequestParam(required = false) @Size(max = 100) String step,
            @RequestParam(required = false) Instant startedFrom, @RequestParam(required = false) Instant startedTo,
            @RequestParam(required = false) Instant activeFrom, @RequestParam(required = false) Instant activeTo,
            @RequestParam MultiValueMap<String, String> parameters,
            @RequestHeader(name = OtherInstances.FORWARDED_BY, required = false) String forwardedBy) {
        Outcome outcome = parseStatus(status);
        ProcessQuery query = new ProcessQuery(outcome, blankToNull(correlationId), blankToNull(orderId),
                keys(parameters), blankToNull(step), startedFrom, startedTo, activeFrom, activeTo);
        List<ProcessListItem> local = store.list(query, limit).stream().map(this::item).toList();
        if (forwardedBy != null) {
            return local;
        }
        List<JsonNode> merged = new ArrayList<>(others.lists(UriComponentsBuilder.fromPath("/processes")
                .queryParams(parameters).replaceQueryParam("limit", limit).build().encode().toUriString()));
        local.forEach(item -> merged.add(json.valueToTree(item)));
        merged.sort(listOrder(outcome));
        return merged.size() > limit ? merged.subList(0, limit) : merged;
    }

    /** The business-key filters among the parameters; a parameter that is neither a filter nor a key is refused. */
    private Map<String, String> keys(MultiValueMap<String, String> parameters) {
        Map<String, String> keys = new HashMap<>();
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            if (store.searchFields().contains(name)) {
                String value = blankToNull(parameter.getValue().get(0));
                if (value != null) {
                    keys.put(name, value);
                }
            } else if (!FILTERS.contains(name)) {
                throw new UnknownFilterException(name, allowedFilters());
            }
        }
        return keys;
    }

    private List<String> allowedFilters() {
        List<String> allowed = new ArrayList<>(FILTERS);
        allowed.addAll(store.searchFields());
        return allowed;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    @GetMapping("/{correlationId}")
    ResponseEntity<?> get(@PathVariable @Size(max = 200) String correlationId,
            @RequestHeader(name = OtherInstances.FORWARDED_BY, required = false) String forwardedBy) {
        Optional<ProcessView> process = store.find(correlationId);
        if (process.isPresent()) {
            return ResponseEntity.ok(new ProcessDetail(process.get(), diagnostician.diagnose(process.get())));
        }
        return askTheOwner(correlationId, "GET", "", null, forwardedBy);
    }

    @PostMapping("/{correlationId}/redrive")
    ResponseEntity<?> redrive(@PathVariable @Size(max = 200) String correlationId,
            @RequestBody(required = false) @Valid ActionRequest request,
            @RequestHeader(name = OtherInstances.FORWARDED_BY, required = false) String forwardedBy) {
        if (store.find(correlationId).isEmpty()) {
            return askTheOwner(correlationId, "POST", "/redrive", request, forwardedBy);
        }
        return ResponseEntity.accepted().body(actions.redrive(correlationId, Caller.current().name()));
    }

    @PostMapping("/{correlationId}/cancel")
    ResponseEntity<?> cancel(@PathVariable @Size(max = 200) String correlationId,
            @RequestBody(required = false) @Valid ActionRequest request,
            @RequestHeader(name = OtherInstances.FORWARDED_BY, required = false) String forwardedBy) {
        if (store.find(correlationId).isEmpty()) {
            return askTheOwner(correlationId, "POST", "/cancel", request, forwardedBy);
        }
        String reason = request == null || request.reason() == null || request.reason().isBlank()
                ? "cancelled by an operator" : request.reason();
        return ResponseEntity.accepted().body(actions.cancel(correlationId, reason, Caller.current().name()));
    }

    /**
     * The process is not on this instance: relays the answer of the instance that holds it. A request that was
     * forwarded already is answered from here only, so it never travels further.
     */
    private ResponseEntity<String> askTheOwner(String correlationId, String method, String action,
            ActionRequest request, String forwardedBy) {
        if (forwardedBy != null) {
            throw new ProcessNotFoundException(correlationId);
        }
        String path = UriComponentsBuilder.fromPath("/processes/{id}" + action).buildAndExpand(correlationId)
                .encode().toUriString();
        return others.relay(method, path, request == null ? null : json.writeValueAsString(request))
                .orElseThrow(() -> new ProcessNotFoundException(correlationId, "on any live collector instance"));
    }

    /** The order {@link ProcessStore#list} gives, applied to the merged lists of every instance. */
    private static Comparator<JsonNode> listOrder(Outcome status) {
        return status == Outcome.STUCK || status == Outcome.FAILED
                ? Comparator.comparing((JsonNode item) -> instant(item, "stuckSince"),
                        Comparator.nullsLast(Comparator.naturalOrder()))
                : Comparator.comparing((JsonNode item) -> instant(item, "lastEventAt"),
                        Comparator.nullsLast(Comparator.reverseOrder()));
    }

    private static Instant instant(JsonNode item, String field) {
        JsonNode value = item.get(field);
        return value == null || value.isNull() ? null : Instant.parse(value.asString());
    }

    private ProcessListItem item(ProcessSummary summary) {
        Diagnosis diagnosis = null;
        if (summary.outcome() == Outcome.STUCK || summary.outcome() == Outcome.FAILED) {
            diagnosis = store.find(summary.correlationId()).map(diagnostician::diagnose).orElse(null);
        }
        return new ProcessListItem(summary, diagnosis);
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

    /** Optional body of an action: why. Who asks is the authenticated caller. */
    record ActionRequest(@Size(max = 200) String reason) {
    }

    static final class UnknownFilterException extends RuntimeException {

        private final transient List<String> allowed;

        UnknownFilterException(String name, List<String> allowed) {
            super("unknown filter '" + name + "'");
            this.allowed = List.copyOf(allowed);
        }

        List<String> allowed() {
            return allowed;
        }
    }

    static final class BadStatusException extends RuntimeException {

        BadStatusException(String status) {
            super("unknown status '" + status + "'");
        }
    }
}
