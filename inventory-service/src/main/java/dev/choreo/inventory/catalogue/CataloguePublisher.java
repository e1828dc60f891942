package dev.choreo.inventory.catalogue;

import dev.choreo.events.catalogue.ProductCatalogued;
import dev.choreo.inventory.InventoryProperties;
import dev.choreo.messaging.outbox.EventPublisher;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes the catalogue on the compacted {@code product-catalogue} topic, one {@link ProductCatalogued} per
 * product keyed by SKU, whenever the service starts: the topic then always holds the current name and price of
 * every product, and order-service's replica converges on it. Through the outbox, so the events go out once
 * Kafka is reachable even if it is not yet.
 */
@Component
class CataloguePublisher {

    private static final Logger log = LoggerFactory.getLogger(CataloguePublisher.class);

    private final CatalogueRepository catalogue;
    private final EventPublisher events;
    private final TransactionTemplate transactions;
    private final InventoryProperties.Catalogue settings;

    CataloguePublisher(CatalogueRepository catalogue, EventPublisher events,
            PlatformTransactionManager transactionManager, InventoryProperties properties) {
        this.catalogue = catalogue;
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
        this.settings = properties.catalogue();
    }

    @EventListener(ApplicationReadyEvent.class)
    void publishOnStartup() {
        if (settings.publishOnStartup()) {
            publishCatalogue();
        }
    }

    /** Publishes every product, in one transaction. */
    void publishCatalogue() {
        List<ProductStock> products = transactions.execute(status -> {
            List<ProductStock> all = catalogue.findAll();
            all.forEach(p -> events.publishInProcess(settings.correlationId(),
                    new ProductCatalogued(p.sku(), p.name(), p.price(), p.currency())));
            return all;
        });
        log.info("Published the catalogue: {} products", products.size());
    }
}
