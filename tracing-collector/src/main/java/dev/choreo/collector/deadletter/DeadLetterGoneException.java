package dev.choreo.collector.deadletter;

public class DeadLetterGoneException extends RuntimeException {

    DeadLetterGoneException(String id) {
        super("dead letter " + id + " is no longer in Kafka (retention)");
    }
}
