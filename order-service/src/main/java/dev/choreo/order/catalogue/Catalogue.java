package dev.choreo.order.catalogue;

import static dev.choreo.messaging.jdbc.SqlTime.utc;

import dev.choreo.events.catalogue.ProductCatalogued;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * order-service's replica of inventory's product catalogue, fed from the compacted {@code product-catalogue}
 * topic. Orders are priced from it, never from the client, and without calling inventory.
 */
@Repository
public class Catalogue {

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final JdbcClient jdbc;

    Catalogue(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The catalogued products among {@code skus}, by SKU; unknown SKUs are absent. */
    public Map<String, CataloguedProduct> find(Collection<String> skus) {
        if (skus.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("SELECT sku, name, price, currency FROM catalogue_product WHERE sku IN (:skus)")
                .param("skus", skus)
                .query((rs, row) -> new CataloguedProduct(rs.getString("sku"), rs.getString("name"),
                        rs.getBigDecimal("price"), rs.getString("currency")))
                .list().stream()
                .collect(Collectors.toMap(CataloguedProduct::sku, Function.identity()));
    }

    boolean isEmpty() {
        return jdbc.sql("SELECT count(*) FROM catalogue_product").query(Long.class).single() == 0;
    }

    /**
     * Inserts or updates a product; a version older than the stored one (a replay, a re-driven dead letter) is
     * ignored. Idempotent, so the catalogue needs no record of handled events.
     *
     * @return {@code true} if the replica changed
     * @throws IllegalArgumentException if the product does not fit the replica (retrying cannot fix that)
     */
    @Transactional
    boolean upsert(ProductCatalogued product, Instant cataloguedAt) {
        check(product);
        OffsetDateTime at = utc(cataloguedAt);
        int updated = jdbc.sql("""
                UPDATE catalogue_product SET name = ?, price = ?, currency = ?, catalogued_at = ?
                WHERE sku = ? AND catalogued_at <= ?""")
                .params(product.name(), product.price(), product.currency(), at, product.sku(), at)
                .update();
        if (updated > 0) {
            return true;
        }
        return jdbc.sql("""
                INSERT INTO catalogue_product (sku, name, price, currency, catalogued_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""")
                .params(product.sku(), product.name(), product.price(), product.currency(), at)
                .update() > 0;
    }

    /** The event's own limits (dev.choreo.events.Limits) fit the columns; the currency must be a code too. */
    private static void check(ProductCatalogued product) {
        if (!CURRENCY.matcher(product.currency()).matches()) {
            throw new IllegalArgumentException("currency of " + product.sku() + " is not an ISO 4217 code");
        }
    }
}
