package dev.choreo.messaging.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventCatalog;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.Topics;
import dev.choreo.events.order.OrderLine;
import dev.choreo.events.order.OrderPlaced;
import dev.choreo.events.order.PaymentMethod;
import dev.choreo.events.order.ShippingAddress;
import dev.choreo.messaging.test.KafkaTestClient;
import dev.choreo.messaging.test.PrivatePostgres;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

/**
 * The service's database crashes under load and comes back: the consumer pauses and retries, nothing is
 * dead-lettered, and every event is handled exactly once afterwards. The outage lasts
 * {@code -Dchoreo.test.database-outage} (20 s by default, so CI stays short; the 90 s with
 * {@code -Dchoreo.test.database-outage=90s}).
 */
@SpringJUnitConfig
// a broker of its own (the other broker-backed tests share one, with their consumer groups' offsets and members)
@EmbeddedKafka(brokerProperties = {"auto.create.topics.enable=false", "log.retention.hours=1"})
class DatabaseOutageTest {

    private static final Duration OUTAGE = Duration.parse("PT" + System.getProperty("choreo.test.database-outage",
            "20s").toUpperCase());

    @Autowired
    EmbeddedKafkaBroker broker;

    @Test
    void aDatabaseOutageUnderLoadDeadLettersNothingAndEveryEventIsHandledOnceAfterwards() throws Exception {
        try (var postgres = PrivatePostgres.start();
                var kafka = new KafkaTestClient(broker.getBrokersAsString());
                var service = new SpringApplicationBuilder(MessagingTestApplication.class)
                        .web(WebApplicationType.NONE)
                        .properties("spring.datasource.url=" + postgres.jdbcUrl("postgres"),
                                "spring.datasource.username=" + PrivatePostgres.USER,
                                // Hikari waits 30 s for a connection by default; the pause shows sooner this way
                                "spring.datasource.hikari.connection-timeout=3000",
                                "spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                                "spring.kafka.consumer.group-id=order-service-outage",
                                "spring.embedded.kafka.brokers=" + broker.getBrokersAsString())
                        .run()) {
            var inboxHealth = service.getBean("eventInboxHealthIndicator", HealthIndicator.class);
            AtomicInteger sent = new AtomicInteger();
            Runnable sendOne = () -> kafka.send(EventEnvelope.startProcess(order("ord-outage-" + sent.getAndIncrement()),
                    EventCatalog.ORDER_SERVICE, Clock.systemUTC()));

            sendFor(Duration.ofSeconds(3), sendOne);
            postgres.crash();
            Instant outageEnds = Instant.now().plus(OUTAGE);
            sendFor(Duration.ofSeconds(5), sendOne);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(inboxHealth.health().getStatus()).as("inbox health while the database is down; "
                            + "handled so far: %s", handled(service)).isEqualTo(Status.DOWN));
            while (Instant.now().isBefore(outageEnds)) {
                sendFor(Duration.ofSeconds(1), sendOne);
            }
            postgres.startServer();
            sendFor(Duration.ofSeconds(3), sendOne);

            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                Map<String, Long> reactions = kafka.events("InventoryUpdated", Topics.INVENTORY_EVENTS).stream()
                        .collect(Collectors.groupingBy(EventEnvelope::key, Collectors.counting()));
                assertThat(reactions).hasSize(sent.get());
            });
            Map<String, Long> reactions = kafka.events("InventoryUpdated", Topics.INVENTORY_EVENTS).stream()
                    .collect(Collectors.groupingBy(EventEnvelope::key, Collectors.counting()));
            assertThat(reactions.values()).as("each order reserved once").allMatch(count -> count == 1);
            assertThat(kafka.readAll(Topics.deadLetterOf(Topics.ORDER_EVENTS))).as("dead letters").isEmpty();
            await().untilAsserted(() -> assertThat(inboxHealth.health().getStatus()).isEqualTo(Status.UP));
        }
    }

    private static String handled(org.springframework.context.ApplicationContext service) {
        var meters = service.getBean(io.micrometer.core.instrument.MeterRegistry.class);
        return meters.find("choreo.inbox.events").counters().stream()
                .map(c -> c.getId().getTag("outcome") + "=" + c.count()).toList().toString();
    }

    /** About 20 events a second, the way a steady trickle of orders arrives. */
    private static void sendFor(Duration duration, Runnable sendOne) throws InterruptedException {
        Instant end = Instant.now().plus(duration);
        while (Instant.now().isBefore(end)) {
            sendOne.run();
            Thread.sleep(50);
        }
    }

    private static OrderPlaced order(String orderId) {
        return new OrderPlaced(orderId, "c-42", List.of(new OrderLine("SKU-1", 2, new BigDecimal("10.00"))),
                new BigDecimal("20.00"), "EUR", new PaymentMethod("tok_visa"),
                new ShippingAddress("Ada", "Main St 1", "Helsinki", "00100", "FI"));
    }
}
