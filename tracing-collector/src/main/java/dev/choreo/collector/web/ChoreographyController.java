package dev.choreo.collector.web;

import dev.choreo.collector.flow.ChoreographyMap;
import dev.choreo.collector.flow.Flow;
import java.util.Arrays;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The choreography: as declared (configuration) and as learned from the events. */
@RestController
class ChoreographyController {

    private final Flow flow;
    private final ChoreographyMap learned;

    ChoreographyController(Flow flow, ChoreographyMap learned) {
        this.flow = flow;
        this.learned = learned;
    }

    @GetMapping("/choreography")
    Choreography choreography() {
        List<DeclaredStep> declared = flow.steps().stream()
                .map(step -> new DeclaredStep(step.name(), step.triggerName(), step.deadlineMillis(),
                        Arrays.stream(step.expectations())
                                .map(e -> new DeclaredExpectation(e.service(), e.eventsLabel()))
                                .toList(), step.compensation()))
                .toList();
        ChoreographyMap.Snapshot snapshot = learned.snapshot();
        return new Choreography(declared, snapshot.nodes(), snapshot.edges());
    }

    record Choreography(List<DeclaredStep> declared, List<ChoreographyMap.NodeView> nodes,
            List<ChoreographyMap.EdgeView> edges) {
    }

    record DeclaredStep(String name, String after, long deadlineMillis, List<DeclaredExpectation> expect,
            boolean compensation) {
    }

    record DeclaredExpectation(String service, String events) {
    }
}
