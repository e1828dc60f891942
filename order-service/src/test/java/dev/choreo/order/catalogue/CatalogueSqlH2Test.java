package dev.choreo.order.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.choreo.events.catalogue.ProductCatalogued;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** The catalogue replica's upsert works on H2 in PostgreSQL mode (the local run) as on PostgreSQL. */
class CatalogueSqlH2Test {

    private Catalogue catalogue;

    @BeforeEach
    void migrate() {
        var h2 = new SingleConnectionDataSource("jdbc:h2:mem:catalogue-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", "", true);
        Flyway.configure().dataSource(h2)
                .locations("filesystem:src/main/resources/db/migration", "classpath:db/messaging")
                .load().migrate();
        catalogue = new Catalogue(JdbcClient.create(h2));
    }

    @Test
    void keepsTheNewestVersionOfEachProduct() {
        Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
        assertThat(catalogue.isEmpty()).isTrue();

        assertThat(catalogue.upsert(product("SKU-A", "10.00"), t0)).isTrue();
        assertThat(catalogue.upsert(product("SKU-A", "11.00"), t0.plusSeconds(1))).isTrue();
        assertThat(catalogue.upsert(product("SKU-A", "1.00"), t0)).as("older version").isFalse();
        assertThat(catalogue.upsert(product("SKU-B", "2.50"), t0)).isTrue();

        assertThat(catalogue.isEmpty()).isFalse();
        assertThat(catalogue.find(List.of("SKU-A", "SKU-B", "SKU-NOPE"))).isEqualTo(Map.of(
                "SKU-A", new CataloguedProduct("SKU-A", "Product SKU-A", new BigDecimal("11.00"), "EUR"),
                "SKU-B", new CataloguedProduct("SKU-B", "Product SKU-B", new BigDecimal("2.50"), "EUR")));
        assertThat(catalogue.find(List.of())).isEmpty();
    }

    @Test
    void refusesWhatTheReplicaCannotHold() {
        Instant now = Instant.now();
        assertThatThrownBy(() -> catalogue.upsert(product("SKU-A", "10000000000.00"), now))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> catalogue.upsert(product("SKU-A", "1.005"), now))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> catalogue.upsert(new ProductCatalogued("SKU-A", "A", BigDecimal.ONE, "euro"), now))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> catalogue.upsert(product("S".repeat(65), "1.00"), now))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(catalogue.isEmpty()).isTrue();
    }

    private static ProductCatalogued product(String sku, String price) {
        return new ProductCatalogued(sku, "Product " + sku, new BigDecimal(price), "EUR");
    }
}
