package dev.choreo.shipping.shipment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.events.order.ShippingAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The local run (run-local.sh) keeps shipments in H2 in PostgreSQL mode: the migration and every statement of the
 * repository must work there too, not only on the PostgreSQL the integration tests use.
 */
class ShipmentRepositoryH2Test {

    private ShipmentRepository shipments;

    @BeforeEach
    void migrate() {
        var h2 = new SingleConnectionDataSource("jdbc:h2:mem:shipping-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", "", true);
        Flyway.configure().dataSource(h2)
                .locations("filesystem:src/main/resources/db/migration", "classpath:db/messaging")
                .load().migrate();
        shipments = new ShipmentRepository(JdbcClient.create(h2));
    }

    @Test
    void storesJoinsAndReadsShipments() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ShippingAddress address = new ShippingAddress("Ada", "Main St 1", "Helsinki", "00100", "FI");
        UUID payment = UUID.randomUUID();

        assertThat(shipments.insertIfAbsent(Shipment.placed("ord-1", address, now))).isTrue();
        assertThat(shipments.insertIfAbsent(Shipment.paidBeforePlaced("ord-1", "pay-1", payment, now))).isFalse();
        Shipment locked = shipments.lock("ord-1");
        assertThat(locked.address()).isEqualTo(address);

        Shipment shipped = locked.withPayment("pay-1", payment, now)
                .shipped("shp-1", "ChoreoPost", "CP0123456789AB", now.plusSeconds(1));
        shipments.update(shipped);
        assertThat(shipments.find("ord-1")).contains(shipped);

        shipments.insertIfAbsent(Shipment.cancelledBeforeAnything("ord-2", "timed out", now.plusSeconds(2)));
        assertThat(shipments.latest(1)).extracting(Shipment::orderId).containsExactly("ord-2");
        assertThat(shipments.latest(10)).hasSize(2);
        assertThat(shipments.find("ord-unknown")).isEmpty();
    }
}
