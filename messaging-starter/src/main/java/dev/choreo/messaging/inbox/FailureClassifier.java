package dev.choreo.messaging.inbox;

import dev.choreo.events.InvalidEventException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Sorts a handler's failure into one that will pass if tried again later (retried until it does) and one that
 * will not (bounded retries, then the dead-letter topic).
 */
final class FailureClassifier {

    /**
     * SQLSTATE classes and codes of failures that pass with time: connection (08), transaction rollback such as
     * serialization failure or deadlock (40), insufficient resources (53), operator intervention such as a server
     * shutting down or a statement timeout (57), PostgreSQL's lock not available (55P03) and H2's lock timeout
     * (HYT00).
     */
    private static final List<String> TRANSIENT_SQL_STATES = List.of("08", "40", "53", "57", "55P03", "HYT00");

    private FailureClassifier() {
    }

    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidEventException) {
                return false;
            }
            if (t instanceof TransientFailure
                    || t instanceof TransientDataAccessException
                    || t instanceof RecoverableDataAccessException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof TransactionSystemException
                    || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && TRANSIENT_SQL_STATES.stream().anyMatch(sql.getSQLState()::startsWith)) {
                return true;
            }
        }
        return false;
    }

    /** An invalid event is refused at once: retrying cannot repair it. */
    static boolean isInvalidEvent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidEventException || t instanceof IllegalArgumentException) {
                return true;
            }
        }
        return false;
    }
}
