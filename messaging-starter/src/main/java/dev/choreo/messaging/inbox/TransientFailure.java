package dev.choreo.messaging.inbox;

/**
 * Marks an exception as transient: the same event will succeed if tried again later (a gateway that says "try
 * again", a dependency that is briefly away). The inbox retries it, pausing the partitions, until it succeeds, and
 * never dead-letters it. Lost database connections, lock and statement timeouts are recognised without it.
 */
public interface TransientFailure {
}
