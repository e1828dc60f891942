package dev.choreo.collector.deadletter;

public class DeadLetterNotFoundException extends RuntimeException {

    DeadLetterNotFoundException(String id) {
        super("no dead letter " + id + " in the index");
    }
}
