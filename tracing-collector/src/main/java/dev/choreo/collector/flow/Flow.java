package dev.choreo.collector.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The declared choreography compiled for the hot path: steps indexed by the event type that starts them,
 * expectations with their accepted event types as vocabulary indexes.
 */
public final class Flow {

    private static final Step[] NO_STEPS = {};
    private static final Expectation[] NO_EXPECTATIONS = {};

    private final Vocabulary vocabulary;
    private final List<Step> steps;
    private final List<Expectation> expectations;
    private final Step[][] stepsByTrigger = new Step[Vocabulary.CAPACITY][];
    private final Expectation[][] conditionalByCondition = new Expectation[Vocabulary.CAPACITY][];
    private final Ending[] endingsByType = new Ending[Vocabulary.CAPACITY];
    private final long quietDeadlineMillis;

    public Flow(FlowProperties properties, Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
        List<Step> compiledSteps = new ArrayList<>();
        List<Expectation> compiledExpectations = new ArrayList<>();
        for (FlowProperties.Step declared : properties.steps()) {
            int stepIndex = compiledSteps.size();
            List<Expectation> stepExpectations = new ArrayList<>();
            for (FlowProperties.Expect expect : declared.expect()) {
                int[] types = expect.events().stream().mapToInt(vocabulary::intern).toArray();
                int condition = expect.onlyIfSeen() == null || expect.onlyIfSeen().isBlank()
                        ? -1 : vocabulary.intern(expect.onlyIfSeen());
                Expectation expectation = new Expectation(compiledExpectations.size(), stepIndex,
                        stepExpectations.size(), expect.service(), String.join(" | ", expect.events()), types,
                        condition);
                stepExpectations.add(expectation);
                compiledExpectations.add(expectation);
                if (condition >= 0) {
                    conditionalByCondition[condition] = append(conditionalByCondition[condition], expectation);
                }
            }
            Step step = new Step(stepIndex, declared.name(), vocabulary.intern(declared.after()), declared.after(),
                    declared.deadline().toMillis(), stepExpectations.toArray(NO_EXPECTATIONS),
                    declared.compensation(), declared.supersedes(), declared.lapsesOnEnd());
            compiledSteps.add(step);
            Step[] existing = stepsByTrigger[step.trigger()];
            Step[] grown = existing == null ? new Step[1] : Arrays.copyOf(existing, existing.length + 1);
            grown[grown.length - 1] = step;
            stepsByTrigger[step.trigger()] = grown;
        }
        if (compiledSteps.size() > 255 || compiledExpectations.size() > 4095) {
            throw new IllegalArgumentException("the flow may declare at most 255 steps and 4095 expectations");
        }
        for (FlowProperties.Ending ending : properties.endings()) {
            endingsByType[vocabulary.intern(ending.event())] = new Ending(ending.field(),
                    ending.outcomes() == null ? Map.of() : Map.copyOf(ending.outcomes()), ending.outcome());
        }
        this.steps = List.copyOf(compiledSteps);
        this.expectations = List.copyOf(compiledExpectations);
        this.quietDeadlineMillis = properties.quietDeadline().toMillis();
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public List<Step> steps() {
        return steps;
    }

    public Step step(int index) {
        return steps.get(index);
    }

    public List<Expectation> expectations() {
        return expectations;
    }

    public Expectation expectation(int index) {
        return expectations.get(index);
    }

    public Step[] stepsAfter(int type) {
        Step[] found = type >= 0 && type < Vocabulary.CAPACITY ? stepsByTrigger[type] : null;
        return found == null ? NO_STEPS : found;
    }

    /** Expectations that become due when an event of this type is seen (e.g. a refund once OrderPayed shows). */
    public Expectation[] conditionalOn(int type) {
        Expectation[] found = type >= 0 && type < Vocabulary.CAPACITY ? conditionalByCondition[type] : null;
        return found == null ? NO_EXPECTATIONS : found;
    }

    /** The ending an event of this type is, or null. */
    public Ending ending(int type) {
        return type >= 0 && type < Vocabulary.CAPACITY ? endingsByType[type] : null;
    }

    /** The payload field the decoder must read for this event type, or null. */
    public String discriminatorOf(String eventType) {
        int type = vocabulary.find(eventType);
        Ending ending = ending(type);
        return ending == null ? null : ending.field();
    }

    public long quietDeadlineMillis() {
        return quietDeadlineMillis;
    }

    private static Expectation[] append(Expectation[] existing, Expectation added) {
        Expectation[] grown = existing == null ? new Expectation[1] : Arrays.copyOf(existing, existing.length + 1);
        grown[grown.length - 1] = added;
        return grown;
    }

    /** One declared step, compiled. */
    public record Step(int index, String name, int trigger, String triggerName, long deadlineMillis,
            Expectation[] expectations, boolean compensation, boolean supersedes, boolean lapsesOnEnd) {
    }

    /** One service's expected reaction within a step. */
    public record Expectation(int index, int step, int indexInStep, String service, String eventsLabel,
            int[] acceptedTypes, int onlyIfSeen) {

        public boolean accepts(int type) {
            for (int accepted : acceptedTypes) {
                if (accepted == type) {
                    return true;
                }
            }
            return false;
        }
    }

    /** An end event: the outcome it means, chosen by a payload field's value when one is configured. */
    public record Ending(String field, Map<String, Outcome> outcomes, Outcome outcome) {

        public Outcome outcomeFor(String fieldValue) {
            Outcome byField = fieldValue == null ? null : outcomes.get(fieldValue);
            return byField != null ? byField : outcome != null ? outcome : Outcome.COMPLETED;
        }
    }
}
