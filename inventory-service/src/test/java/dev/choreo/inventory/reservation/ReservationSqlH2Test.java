package dev.choreo.inventory.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.choreo.events.Limits;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The local run (run-local.sh) keeps the stock in H2 in PostgreSQL mode: the migrations and every statement of the
 * stock and reservation repositories must work there too, not only on the PostgreSQL the integration tests use.
 */
class ReservationSqlH2Test {

    private JdbcClient jdbc;
    private StockRepository stock;
    private ReservationRepository reservations;

    @BeforeEach
    void migrate() {
        var h2 = new SingleConnectionDataSource("jdbc:h2:mem:inventory-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", "", true);
        Flyway.configure().dataSource(h2)
                .locations("filesystem:src/main/resources/db/migration", "classpath:db/messaging")
                .load().migrate();
        jdbc = JdbcClient.create(h2);
        stock = new StockRepository(jdbc);
        reservations = new ReservationRepository(jdbc);
    }

    @Test
    void locksChecksAndMovesStockWithoutEverBreakingTheBalance() {
        assertThat(stock.lockAvailable(List.of("SKU-MOUSE", "SKU-DOCK", "SKU-NOPE")))
                .containsExactly(entry("SKU-DOCK", 5), entry("SKU-MOUSE", 1000));

        assertThat(stock.reserve("SKU-DOCK", 4)).isTrue();
        assertThat(stock.reserve("SKU-DOCK", 2)).as("only 1 left").isFalse();
        assertThat(stock.ship("SKU-DOCK", 3)).isTrue();
        assertThat(stock.release("SKU-DOCK", 2)).as("only 1 reserved").isFalse();
        assertThat(stock.release("SKU-DOCK", 1)).isTrue();
        assertThat(stock.shipFromAvailable("SKU-DOCK", 2)).isTrue();

        assertThat(counts("SKU-DOCK")).as("available, reserved, shipped, stocked").containsExactly(0, 0, 5, 5);
    }

    @Test
    void theDatabaseRefusesAnyChangeThatBreaksTheBalance() {
        assertThatThrownBy(() -> jdbc.sql("UPDATE stock SET available = available - 1 WHERE sku = 'SKU-MOUSE'")
                .update()).isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.sql("UPDATE stock SET available = available - 6, reserved = reserved + 6 "
                + "WHERE sku = 'SKU-DOCK'").update()).isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void storesAndFindsReservationsWithTheirLines() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Reservation rejected = new Reservation("ord-1", UUID.randomUUID(), ReservationStatus.REJECTED, "short",
                "corr-1", now, now, List.of(new Reservation.Line("SKU-A", 2, false),
                        new Reservation.Line("SKU-B", 5_000_000_000L, true)));
        reservations.insert(rejected);

        assertThat(reservations.find("ord-1")).contains(rejected);
        assertThat(reservations.findForUpdate("ord-1")).contains(rejected);
        assertThat(reservations.find("ord-2")).isEmpty();

        reservations.updateStatus("ord-1", ReservationStatus.RELEASED, "x".repeat(3000), now.plusSeconds(1));
        assertThat(reservations.find("ord-1")).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(ReservationStatus.RELEASED);
            assertThat(r.reason()).hasSize(Limits.REASON).endsWith("…");
            assertThat(r.updatedAt()).isEqualTo(now.plusSeconds(1));
            assertThat(r.lines()).isEqualTo(rejected.lines());
        });
    }

    private List<Integer> counts(String sku) {
        return jdbc.sql("SELECT available, reserved, shipped, stocked FROM stock WHERE sku = ?").param(sku)
                .query((rs, row) -> List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4))).single();
    }

    private static Map.Entry<String, Integer> entry(String sku, int available) {
        return Map.entry(sku, available);
    }
}
