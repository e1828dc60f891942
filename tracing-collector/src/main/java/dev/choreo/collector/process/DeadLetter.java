package dev.choreo.collector.process;

/**
 * Why a consumer group gave up on a record, from the headers Spring Kafka's DeadLetterPublishingRecoverer and
 * the services write.
 *
 * @param group             the consumer group that failed ({@code kafka_dlt-original-consumer-group})
 * @param reason            the services' {@code dlt-reason}: an InvalidEventException reason or exception class
 * @param exceptionClass    {@code kafka_dlt-exception-fqcn}
 * @param message           {@code kafka_dlt-exception-message}
 * @param originalTopic     where the record was consumed from
 * @param originalPartition its partition
 * @param originalOffset    its offset
 */
public record DeadLetter(String group, String reason, String exceptionClass, String message, String originalTopic,
        int originalPartition, long originalOffset) {

    /** A short cause for a person: the reason if the service named one, else the exception. */
    public String cause() {
        String what = reason != null ? reason : exceptionClass != null ? simpleName(exceptionClass) : "unknown";
        return message == null ? what : what + ": " + message;
    }

    private static String simpleName(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(dot + 1);
    }
}
