package dev.choreo.inventory.catalogue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code choreo_inventory_stock{sku, state=stocked|available|reserved|shipped}}: the stock counts per SKU, read
 * from the database every {@code choreo.inventory.metrics.stock-refresh-interval} rather than on each scrape. The
 * catalogue is small, so one series per SKU and state is cheap, and a dashboard can show that the states add up.
 */
@Component
class StockGauges {

    static final String METER = "choreo.inventory.stock";

    private static final Logger log = LoggerFactory.getLogger(StockGauges.class);

    private final CatalogueRepository catalogue;
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> values = new ConcurrentHashMap<>();

    StockGauges(CatalogueRepository catalogue, MeterRegistry registry) {
        this.catalogue = catalogue;
        this.registry = registry;
    }

    @Scheduled(fixedDelayString = "${choreo.inventory.metrics.stock-refresh-interval:10s}")
    void refresh() {
        try {
            for (ProductStock stock : catalogue.findAll()) {
                gauge(stock.sku(), "stocked").set(stock.stocked());
                gauge(stock.sku(), "available").set(stock.available());
                gauge(stock.sku(), "reserved").set(stock.reserved());
                gauge(stock.sku(), "shipped").set(stock.shipped());
            }
        } catch (DataAccessException e) {
            // the database may be briefly away; the next round reads again
            log.warn("Could not read the stock for the gauges: {}", e.toString());
        }
    }

    private AtomicInteger gauge(String sku, String state) {
        return values.computeIfAbsent(sku + '/' + state, key -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder(METER, value, AtomicInteger::get)
                    .description("Units of a SKU per state; stocked = available + reserved + shipped")
                    .tag("sku", sku)
                    .tag("state", state)
                    .register(registry);
            return value;
        });
    }
}
