package dev.choreo.collector.flow;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The declared choreography: after which event which service must publish what, and by when. The defaults for
 * the order flow ship in application.yml; a new step is configuration, not code.
 *
 * @param steps         what each event asks of the other services
 * @param endings       the events that end a process and the outcome they mean
 * @param quietDeadline how long an open process may sit with nothing awaited before it is flagged (it saw an
 *                      incomplete path the declared flow does not cover)
 */
@Validated
@ConfigurationProperties("choreo.flow")
public record FlowProperties(
        @NotEmpty List<@Valid Step> steps,
        @NotEmpty List<@Valid Ending> endings,
        @NotNull @DurationMin(millis = 1) Duration quietDeadline) {

    /**
     * @param name         short, stable name: a metric label and what the web view shows
     * @param after        the event that starts the step
     * @param deadline     how long after that event (its occurredAt) the follow-ups may take
     * @param expect       the follow-ups, one per service that should act; all are awaited
     * @param compensation a compensation step still counts after a cancellation superseded the forward path
     * @param supersedes   drops the forward-path expectations still pending (a cancellation)
     * @param lapsesOnEnd  its expectations lapse when the process ends meanwhile (a refused cancellation)
     */
    public record Step(
            @NotBlank String name,
            @NotBlank String after,
            @NotNull @DurationMin(millis = 1) Duration deadline,
            @NotEmpty List<@Valid Expect> expect,
            boolean compensation,
            boolean supersedes,
            boolean lapsesOnEnd) {
    }

    /**
     * @param service    the service (and consumer group, see {@code choreo.collector.groups}) that should act
     * @param events     any one of them satisfies the expectation
     * @param onlyIfSeen awaited only if the process has (or later gets) an event of this type, e.g. a refund
     *                   only for a paid order
     */
    public record Expect(@NotBlank String service, @NotEmpty List<@NotBlank String> events, String onlyIfSeen) {
    }

    /**
     * @param event    the end event
     * @param field    a payload field whose value selects the outcome (e.g. {@code kind}); optional
     * @param outcomes outcome per field value
     * @param outcome  the outcome when there is no field or its value is not listed
     */
    public record Ending(@NotBlank String event, String field, Map<String, Outcome> outcomes, Outcome outcome) {

        @AssertTrue(message = "an ending needs an end outcome (COMPLETED or COMPENSATED), or a field with end outcomes")
        public boolean isResolvable() {
            boolean byField = field != null && !field.isBlank() && outcomes != null && !outcomes.isEmpty();
            boolean fieldOutcomesEnd = outcomes == null || outcomes.values().stream().allMatch(Outcome::isFlowEnd);
            return fieldOutcomesEnd && (outcome == null ? byField : outcome.isFlowEnd());
        }
    }
}
