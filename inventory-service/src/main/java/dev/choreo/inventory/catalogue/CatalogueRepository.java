package dev.choreo.inventory.catalogue;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads the catalogue and the stock counts. Stock is changed only by reservations. */
@Repository
class CatalogueRepository {

    private static final String SELECT_PRODUCTS = """
            SELECT p.sku, p.name, p.price, p.currency, s.stocked, s.available, s.reserved, s.shipped
            FROM product p JOIN stock s ON s.sku = p.sku""";

    private static final RowMapper<ProductStock> PRODUCT_STOCK = (rs, row) -> new ProductStock(
            rs.getString("sku"), rs.getString("name"), rs.getBigDecimal("price"), rs.getString("currency"),
            rs.getInt("stocked"), rs.getInt("available"), rs.getInt("reserved"), rs.getInt("shipped"));

    private final JdbcClient jdbc;

    CatalogueRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<ProductStock> findAll() {
        return jdbc.sql(SELECT_PRODUCTS + " ORDER BY p.sku").query(PRODUCT_STOCK).list();
    }

    Optional<ProductStock> find(String sku) {
        return jdbc.sql(SELECT_PRODUCTS + " WHERE p.sku = ?").param(sku).query(PRODUCT_STOCK).optional();
    }
}
