package dev.choreo.inventory.reservation;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Moves units between the states of a SKU's stock. Every move is one conditional update that keeps
 * {@code available + reserved + shipped = stocked} (the table's check constraint enforces it as well) and
 * reports whether the units were there to move.
 */
@Repository
class StockRepository {

    private final JdbcClient jdbc;

    StockRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Locks the stock rows of {@code skus} in SKU order until the transaction ends and returns the units
     * available of each; a SKU the catalogue does not have is absent. Locking in one global order means two
     * orders that share SKUs wait for each other instead of deadlocking.
     */
    Map<String, Integer> lockAvailable(Collection<String> skus) {
        Map<String, Integer> available = new TreeMap<>();
        jdbc.sql("SELECT sku, available FROM stock WHERE sku IN (:skus) ORDER BY sku FOR UPDATE")
                .param("skus", skus)
                .query(rs -> {
                    available.put(rs.getString("sku"), rs.getInt("available"));
                });
        return available;
    }

    /** available → reserved */
    boolean reserve(String sku, int quantity) {
        return move("available = available - :q, reserved = reserved + :q", "available", sku, quantity);
    }

    /** reserved → available */
    boolean release(String sku, int quantity) {
        return move("available = available + :q, reserved = reserved - :q", "reserved", sku, quantity);
    }

    /** reserved → shipped */
    boolean ship(String sku, int quantity) {
        return move("reserved = reserved - :q, shipped = shipped + :q", "reserved", sku, quantity);
    }

    /** available → shipped: for goods that left although their reservation had been released. */
    boolean shipFromAvailable(String sku, int quantity) {
        return move("available = available - :q, shipped = shipped + :q", "available", sku, quantity);
    }

    private boolean move(String assignments, String source, String sku, int quantity) {
        return jdbc.sql("UPDATE stock SET " + assignments + " WHERE sku = :sku AND " + source + " >= :q")
                .param("q", quantity)
                .param("sku", sku)
                .update() == 1;
    }
}
