package dev.choreo.collector.deadletter;

import java.util.List;

/**
 * What an action did, or with {@code dryRun} would do.
 *
 * @param matched        dead letters the selection or filter named
 * @param toAct          of those, the ones acted on (NEW, and PARKED when discarding or forced)
 * @param parked         left alone: parked, and the re-drive not forced
 * @param alreadyHandled left alone: re-driven or discarded before
 * @param notFound       selected ids not in the index
 * @param done           acted on and recorded
 * @param failed         of {@code toAct}, not done (Kafka did not take it, the record is gone or was cut)
 * @param results        per dead letter: REDRIVEN, DISCARDED, ALREADY_REDRIVEN, ALREADY_DISCARDED, PARKED,
 *                       NOT_FOUND, GONE, TRUNCATED or FAILED (empty for a dry run)
 */
public record DeadLetterActionReport(String action, boolean dryRun, int matched, int toAct, int parked,
        int alreadyHandled, int notFound, int done, int failed, List<Result> results) {

    /** @param detail where a re-drive went, or why nothing was done */
    public record Result(String id, String outcome, String detail) {
    }
}
