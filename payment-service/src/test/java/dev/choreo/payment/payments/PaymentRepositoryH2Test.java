package dev.choreo.payment.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The local run (run-local.sh) keeps payments in H2 in PostgreSQL mode: the migration and every statement of the
 * repository must work there too, not only on the PostgreSQL the integration tests use.
 */
class PaymentRepositoryH2Test {

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    private JdbcClient jdbc;
    private PaymentRepository payments;

    @BeforeEach
    void migrate() {
        var h2 = new SingleConnectionDataSource("jdbc:h2:mem:payment-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", "", true);
        Flyway.configure().dataSource(h2)
                .locations("filesystem:src/main/resources/db/migration", "classpath:db/messaging")
                .load().migrate();
        jdbc = JdbcClient.create(h2);
        payments = new PaymentRepository(jdbc);
    }

    @Test
    void joinsTheOrderAndTheGoAheadThenChargesAndRefunds() {
        Payment created = payments.lockOrCreate("ord-1", now);
        assertThat(created.status()).isEqualTo(PaymentStatus.PENDING);
        assertThat(created.paymentId()).startsWith("pay-");
        assertThat(payments.lockOrCreate("ord-1", now.plusSeconds(1))).as("the same row, not a new one")
                .isEqualTo(created);

        payments.recordGoAhead("ord-1", now);
        payments.recordOrder("ord-1", "c-42", new BigDecimal("49.90"), "EUR", "tok_visa", now);
        Payment ready = payments.findForUpdate("ord-1").orElseThrow();
        assertThat(ready.readyToCharge()).isTrue();
        assertThat(ready.amount()).isEqualTo(new BigDecimal("49.90"));
        assertThat(payments.awaitingGateway(10)).isEmpty();

        UUID goAhead = UUID.randomUUID();
        payments.markCharging("ord-1", "corr-1", goAhead, null, now.plusSeconds(1));
        assertThat(payments.paymentToken("ord-1")).as("kept until the gateway answers").contains("tok_visa");
        assertThat(payments.awaitingGateway(10)).singleElement().satisfies(due -> {
            assertThat(due.status()).isEqualTo(PaymentStatus.CHARGING);
            assertThat(due.correlationId()).isEqualTo("corr-1");
            assertThat(due.gatewayCause()).isEqualTo(goAhead);
        });
        assertThatThrownBy(() -> payments.markCharging("ord-1", "corr-1", goAhead, null, now))
                .as("decided at most once").isInstanceOf(IllegalStateException.class);

        payments.markCharged("ord-1", "ch_1", "4242", now.plusSeconds(2));
        Payment charged = payments.find("ord-1").orElseThrow();
        assertThat(charged.status()).isEqualTo(PaymentStatus.CHARGED);
        assertThat(charged.chargedAt()).isEqualTo(now.plusSeconds(2));
        assertThat(charged.cardLast4()).isEqualTo("4242");
        assertThat(payments.paymentToken("ord-1")).as("dropped once charged").isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM payment WHERE payment_token IS NOT NULL").query(Long.class).single())
                .isZero();
        assertThatThrownBy(() -> payments.markCharged("ord-1", "ch_2", "4242", now)).as("charged at most once")
                .isInstanceOf(IllegalStateException.class);

        assertThat(payments.awaitingGateway(10)).isEmpty();

        UUID shippingFailed = UUID.randomUUID();
        payments.markRefunding("ord-1", "shipping failed: AQ", "corr-1", shippingFailed, null, now.plusSeconds(3));
        assertThat(payments.awaitingGateway(10)).singleElement()
                .satisfies(due -> assertThat(due.gatewayCause()).isEqualTo(shippingFailed));
        payments.markRefunded("ord-1", "re_1", now.plusSeconds(3));
        Payment refunded = payments.find("ord-1").orElseThrow();
        assertThat(refunded.status()).isEqualTo(PaymentStatus.REFUNDED);
        assertThat(refunded.reason()).isEqualTo("shipping failed: AQ");
        assertThatThrownBy(() -> payments.markRefunded("ord-1", "re_2", now)).as("refunded at most once")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void cancelsDeclinesAndListsTheNewestFirst() {
        payments.lockOrCreate("ord-1", now);
        payments.markCancelled("ord-1", "customer", now);
        payments.lockOrCreate("ord-2", now.plusSeconds(1));
        payments.recordOrder("ord-2", "c-42", BigDecimal.TEN, "EUR", "tok_chargeDeclined", now);
        payments.recordGoAhead("ord-2", now);
        payments.markCharging("ord-2", "corr-2", UUID.randomUUID(), null, now);
        payments.markDeclined("ord-2", "card declined", now.plusSeconds(1));
        payments.lockOrCreate("ord-3", now.plusSeconds(2));

        assertThat(payments.find("ord-1").orElseThrow().status()).isEqualTo(PaymentStatus.CANCELLED);
        assertThat(payments.find("ord-2").orElseThrow().reason()).isEqualTo("card declined");
        assertThat(payments.findNewest(null, 10)).extracting(Payment::orderId)
                .containsExactly("ord-3", "ord-2", "ord-1");
        assertThat(payments.findNewest(PaymentStatus.DECLINED, 10)).extracting(Payment::orderId)
                .containsExactly("ord-2");
        assertThat(payments.findNewest(null, 1)).hasSize(1);
        assertThat(payments.find("ord-unknown")).isEmpty();
    }
}
