package dev.choreo.messaging.outbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.EventPublication;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Sends again the outbox entries Kafka did not acknowledge (the broker was down or unreachable), so an event
 * accepted while the broker is away goes out once it is back, without waiting for a restart. Entries stuck
 * without an answer are marked failed by Modulith's staleness monitor and picked up here too.
 */
class FailedPublicationResubmitter {

    private static final Logger log = LoggerFactory.getLogger(FailedPublicationResubmitter.class);

    private final IncompleteEventPublications incomplete;

    FailedPublicationResubmitter(IncompleteEventPublications incomplete) {
        this.incomplete = incomplete;
    }

    @Scheduled(fixedDelayString = "${choreo.messaging.outbox.resubmit-interval:5s}",
            initialDelayString = "${choreo.messaging.outbox.resubmit-interval:5s}")
    void resubmitFailed() {
        try {
            incomplete.resubmitIncompletePublications(ResubmissionOptions.defaults()
                    .withBatchSize(500)
                    .withFilter(publication -> publication.getStatus() == EventPublication.Status.FAILED));
        } catch (RuntimeException e) {
            // The database may be briefly unreachable; the next round tries again.
            log.warn("Could not resubmit failed event publications: {}", e.toString());
        }
    }
}
