package dev.choreo.collector.web;

import dev.choreo.collector.action.ActionFailedException;
import dev.choreo.collector.action.ActionRefusedException;
import dev.choreo.collector.action.ProcessNotFoundException;
import dev.choreo.collector.action.RecordGoneException;
import dev.choreo.collector.deadletter.DeadLetterGoneException;
import dev.choreo.collector.deadletter.DeadLetterNotFoundException;
import dev.choreo.collector.flow.Outcome;
import dev.choreo.collector.process.ProcessStore;
import java.util.Arrays;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * RFC 9457 problem details for the collector's own failures; Spring's (spring.mvc.problemdetails.enabled)
 * cover malformed requests and validation.
 */
@RestControllerAdvice
class ProblemHandlers {

    private final ProcessStore store;

    ProblemHandlers(ProcessStore store) {
        this.store = store;
    }

    @ExceptionHandler
    ProblemDetail notFound(ProcessNotFoundException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Process not found");
        // with several instances each holds the processes of its partitions
        problem.setProperty("ownedPartitions", store.ownedPartitions());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail instanceUnreachable(OtherInstances.InstanceUnreachableException e) {
        String named = e.instances().stream()
                .map(instance -> instance.name() + " (partitions " + instance.partitions() + ")").toList().toString();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                e.instances().isEmpty() ? e.getMessage() : e.getMessage() + ": " + named);
        problem.setTitle("Collector instance unreachable");
        problem.setProperty("instances", e.instances().stream()
                .map(instance -> Map.of("instance", instance.name(), "partitions", instance.partitions())).toList());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail refused(ActionRefusedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Action does not apply");
        return problem;
    }

    @ExceptionHandler
    ProblemDetail gone(RecordGoneException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.GONE, e.getMessage());
        problem.setTitle("Record no longer in Kafka");
        return problem;
    }

    @ExceptionHandler
    ProblemDetail badStatus(ProcessController.BadStatusException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Bad status");
        problem.setProperty("allowed", Arrays.stream(Outcome.values()).map(Enum::name).toList());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail unknownFilter(ProcessController.UnknownFilterException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Unknown filter");
        problem.setProperty("allowed", e.allowed());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail kafkaUnavailable(ActionFailedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        problem.setTitle("Kafka did not take the action");
        return problem;
    }

    @ExceptionHandler
    ProblemDetail deadLetterNotFound(DeadLetterNotFoundException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Dead letter not found");
        return problem;
    }

    @ExceptionHandler
    ProblemDetail deadLetterGone(DeadLetterGoneException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.GONE, e.getMessage());
        problem.setTitle("Record no longer in Kafka");
        return problem;
    }

    @ExceptionHandler
    ProblemDetail badSelection(DeadLetterController.BadSelectionException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Bad selection");
        return problem;
    }
}
