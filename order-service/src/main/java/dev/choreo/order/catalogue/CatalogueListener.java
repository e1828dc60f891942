package dev.choreo.order.catalogue;

import dev.choreo.events.DomainEvent;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import dev.choreo.events.catalogue.ProductCatalogued;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;

/**
 * Keeps the catalogue replica up to date. An upsert is idempotent, so this consumer keeps no record of handled
 * events; records it cannot read or store still go to {@code product-catalogue.DLT} (the starter's error
 * handler). When the replica is empty (a new or wiped database) while the consumer group already has committed
 * offsets, the compacted topic is read again from its beginning: the topic, not the offset, is the truth.
 */
@Component
class CatalogueListener implements ConsumerSeekAware {

    /** The listener container's id, by which {@link CatalogueReadiness} knows its idle events. */
    static final String ID = "catalogue-replica";

    private static final Logger log = LoggerFactory.getLogger(CatalogueListener.class);

    private final Catalogue catalogue;

    CatalogueListener(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    // idIsGroup = false: the consumer group stays the service's own (spring.kafka.consumer.group-id)
    @KafkaListener(id = ID, idIsGroup = false, topics = Topics.PRODUCT_CATALOGUE,
            containerPostProcessor = CatalogueReadiness.BEAN_NAME)
    void onCatalogueEvent(EventEnvelope<DomainEvent> envelope) {
        if (envelope.payload() instanceof ProductCatalogued product) {
            onProductCatalogued(envelope, product);
        }
    }

    private void onProductCatalogued(EventEnvelope<?> envelope, ProductCatalogued product) {
        if (catalogue.upsert(product, envelope.occurredAt())) {
            if (log.isDebugEnabled()) {
                log.debug("Catalogue: {} '{}' at {} {}", product.sku(), product.name(),
                        product.price().toPlainString(), product.currency());
            }
        } else {
            log.debug("Catalogue: ignored an older version of {}", product.sku());
        }
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        if (!assignments.isEmpty() && catalogue.isEmpty()) {
            log.info("Catalogue replica is empty: reading {} from the beginning", Topics.PRODUCT_CATALOGUE);
            callback.seekToBeginning(assignments.keySet());
        }
    }
}
