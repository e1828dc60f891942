package dev.choreo.inventory.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** The demo catalogue and its queries on H2 in PostgreSQL mode, the local run's database. */
class CatalogueSqlH2Test {

    @Test
    void seedsTheDemoCatalogueAndReadsIt() {
        var h2 = new SingleConnectionDataSource("jdbc:h2:mem:catalogue-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", "", true);
        Flyway.configure().dataSource(h2)
                .locations("filesystem:src/main/resources/db/migration", "classpath:db/messaging")
                .load().migrate();
        var catalogue = new CatalogueRepository(JdbcClient.create(h2));

        assertThat(catalogue.findAll()).extracting(ProductStock::sku).containsExactly("SKU-DOCK", "SKU-HEADSET",
                "SKU-KEYBOARD", "SKU-MONITOR", "SKU-MOUSE", "SKU-SOLDOUT", "SKU-WEBCAM");
        assertThat(catalogue.find("SKU-WEBCAM")).contains(new ProductStock("SKU-WEBCAM", "Full HD webcam",
                new BigDecimal("59.90"), "EUR", 1000, 1000, 0, 0));
        assertThat(catalogue.find("SKU-SOLDOUT")).hasValueSatisfying(p -> assertThat(p.available()).isZero());
        assertThat(catalogue.find("SKU-NOPE")).isEmpty();
    }
}
