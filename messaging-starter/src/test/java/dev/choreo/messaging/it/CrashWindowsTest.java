package dev.choreo.messaging.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.choreo.events.EventHeaders;
import dev.choreo.events.Topics;
import dev.choreo.messaging.test.KafkaTestClient;
import dev.choreo.messaging.test.OrderEvents;
import dev.choreo.messaging.test.PostgresTestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

/**
 * The messaging core's crash windows, each hit on purpose and ended with a real SIGKILL of the service's JVM:
 * <ul>
 * <li>after the commit, before the send: the relay is held on standby (the test holds its lease) while orders
 * commit, then the JVM is killed. A new JVM sends every committed order, once.</li>
 * <li>after the send, before the rows are deleted: the test locks the sent rows, so the relay's delete waits; once
 * Kafka has every record, the JVM is killed. A new JVM sends them once more, and the consumer's idempotency makes
 * the repeat harmless: every order is reserved exactly once.</li>
 * <li>in the middle of a consumer's batch: records handled inside the poll's transaction, neither it nor the
 * offsets committed. A new JVM handles the batch again, and every order has its effect and its reaction once.</li>
 * </ul>
 */
@SpringJUnitConfig
@EmbeddedKafka(brokerProperties = "auto.create.topics.enable=false")
class CrashWindowsTest {

    private static final int ORDERS = 40;

    @Autowired
    EmbeddedKafkaBroker broker;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    @Test
    void aSigkillAfterCommitBeforeSendLosesNothing() throws Exception {
        String url = PostgresTestDatabase.recreate("test_outbox_crash_before_send");
        try (var kafka = new KafkaTestClient(broker.getBrokersAsString())) {
            Child first = start(url, ORDERS, "ord-before-send-");
            try (Connection db = DriverManager.getConnection(url, PostgresTestDatabase.USER, null)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> tableExists(db));
            }
            // the lease row exists once the service migrated its database; hold it, so nothing is sent
            holdLease(url);
            first.awaitDone();
            assertThat(placedOnKafka(kafka, "ord-before-send-")).as("nothing sent while the relay stood by").isEmpty();
            first.kill();

            releaseLease(url);
            start(url, 0, "none-");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(placedOnKafka(kafka, "ord-before-send-")).containsOnlyKeys(first.placed())
                            .allSatisfy((orderId, copies) -> assertThat(copies).as(orderId).isEqualTo(1)));
        }
    }

    @Test
    void aSigkillAfterSendBeforeDeleteSendsAgainAndTheRepeatHasNoSecondEffect() throws Exception {
        String url = PostgresTestDatabase.recreate("test_outbox_crash_after_send");
        try (var kafka = new KafkaTestClient(broker.getBrokersAsString());
                Connection locks = DriverManager.getConnection(url, PostgresTestDatabase.USER, null)) {
            Child first = start(url, ORDERS, "ord-after-send-");
            await().atMost(Duration.ofSeconds(60)).until(() -> tableExists(locks));
            holdLease(url);
            first.awaitDone();
            locks.setAutoCommit(false);
            locks.createStatement().execute("SELECT id FROM outbox_record FOR UPDATE");
            releaseLease(url);
            // the relay sends every row, then its delete waits for the test's locks
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(placedOnKafka(kafka, "ord-after-send-")).containsOnlyKeys(first.placed()));
            first.kill();
            // a backend blocked on a lock only notices its client died when it next talks to it; end the dead
            // JVM's sessions, as its connections would have ended, so its waiting delete does not run after all
            try (Connection admin = DriverManager.getConnection(url, PostgresTestDatabase.USER, null)) {
                admin.createStatement().execute("""
                        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                        WHERE datname = current_database() AND pid <> pg_backend_pid()
                          AND pid <> %d""".formatted(backendPid(locks)));
            }
            locks.rollback();

            start(url, 0, "none-");
            // the dead member's partitions come back after the session timeout (10 s)
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(placedOnKafka(kafka, "ord-after-send-")).as("each sent again once")
                        .containsOnlyKeys(first.placed()).allSatisfy((orderId, copies) -> assertThat(copies).isEqualTo(2));
                Map<String, Set<String>> reactions = kafka.readAll(Topics.INVENTORY_EVENTS).stream()
                        .filter(r -> r.key().startsWith("ord-after-send-"))
                        .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.mapping(
                                r -> KafkaTestClient.header(r, EventHeaders.EVENT_ID), Collectors.toSet())));
                assertThat(reactions).as("one reservation per order").containsOnlyKeys(first.placed())
                        .allSatisfy((orderId, eventIds) -> assertThat(eventIds).hasSize(1));
            });
        }
    }

    @Test
    void aSigkillInTheMiddleOfAConsumersBatchRedoesItAndEveryEffectHappensOnce() throws Exception {
        String url = PostgresTestDatabase.recreate("test_inbox_crash_mid_batch");
        int backlog = 200;
        try (var kafka = new KafkaTestClient(broker.getBrokersAsString());
                Connection db = DriverManager.getConnection(url, PostgresTestDatabase.USER, null)) {
            Child first = start(url, 0, "none-", "-Dchoreo.test.trace-handling=true");
            await().atMost(Duration.ofSeconds(60)).until(() -> tableExists(db));
            List<String> orderIds = new ArrayList<>();
            for (int i = 0; i < backlog; i++) {
                var placed = OrderEvents.forOrder("slow-mid-batch-" + i).placed("SKU-1", 1);
                orderIds.add(placed.payload().orderId());
                kafka.sendAsync(placed);
            }
            kafka.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> first.handling().size() >= 60);
            first.kill();
            int handledBeforeKill = first.handling().size();
            int committedBeforeKill = handledOrders(db);
            assertThat(committedBeforeKill).as("killed inside a batch: handled %d, committed %d", handledBeforeKill,
                    committedBeforeKill).isLessThan(handledBeforeKill).isLessThan(backlog);

            start(url, 0, "none-");
            // the dead member's partitions come back after the session timeout (10 s)
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(handledOrders(db)).isEqualTo(backlog);
                Map<String, Set<String>> reactions = kafka.readAll(Topics.INVENTORY_EVENTS).stream()
                        .filter(r -> r.key().startsWith("slow-mid-batch-"))
                        .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.mapping(
                                r -> KafkaTestClient.header(r, EventHeaders.EVENT_ID), Collectors.toSet())));
                assertThat(reactions).as("one reservation per order").containsOnlyKeys(orderIds)
                        .allSatisfy((orderId, eventIds) -> assertThat(eventIds).hasSize(1));
            });
            assertThat(kafka.readAll(Topics.ORDER_EVENTS + ".DLT")).as("nothing dead-lettered").isEmpty();
        }
    }

    private static int handledOrders(Connection db) throws Exception {
        try (var rs = db.createStatement().executeQuery(
                "SELECT count(*) FROM handled_order WHERE order_id LIKE 'slow-mid-batch-%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Map<String, Long> placedOnKafka(KafkaTestClient kafka, String prefix) {
        return kafka.readAll(Topics.ORDER_EVENTS).stream().filter(r -> r.key().startsWith(prefix))
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
    }

    private static int backendPid(Connection connection) throws Exception {
        try (var rs = connection.createStatement().executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean tableExists(Connection db) throws Exception {
        try (var rs = db.getMetaData().getTables(null, null, "outbox_relay_lease", null)) {
            return rs.next();
        }
    }

    private static void holdLease(String url) throws Exception {
        try (Connection db = DriverManager.getConnection(url, PostgresTestDatabase.USER, null)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> db.createStatement().executeUpdate(
                    "UPDATE outbox_relay_lease SET owner = 'test', expires_at = now() + interval '1 hour'") == 1);
        }
    }

    private static void releaseLease(String url) throws Exception {
        try (Connection db = DriverManager.getConnection(url, PostgresTestDatabase.USER, null)) {
            db.createStatement().executeUpdate("UPDATE outbox_relay_lease SET owner = NULL");
        }
    }

    private Child start(String url, int orders, String prefix, String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CrashWindowsChild.class.getName(), url,
                broker.getBrokersAsString(), Integer.toString(orders), prefix));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        children.add(process);
        Child child = new Child(process);
        Thread reader = new Thread(child::readOutput, "child-output");
        reader.setDaemon(true);
        reader.start();
        return child;
    }

    /** A service JVM and the orders it said were committed. */
    private static final class Child {

        private final Process process;
        private final Set<String> placed = ConcurrentHashMap.newKeySet();
        private final Set<String> handling = ConcurrentHashMap.newKeySet();
        private volatile boolean done;

        Child(Process process) {
            this.process = process;
        }

        void readOutput() {
            try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("placed ")) {
                        placed.add(line.substring("placed ".length()));
                    } else if (line.startsWith("handling ")) {
                        handling.add(line.substring("handling ".length()));
                    } else if (line.equals("done")) {
                        done = true;
                    } else {
                        System.out.println("child | " + line);
                    }
                }
            } catch (java.io.IOException e) {
                // the process was killed
            }
        }

        void awaitDone() {
            await().atMost(Duration.ofSeconds(90)).until(() -> done || !process.isAlive());
            assertThat(done).as("the child placed its orders").isTrue();
            assertThat(placed).hasSize(ORDERS);
        }

        Set<String> placed() {
            return placed;
        }

        /** Orders its handler began, committed or not. */
        Set<String> handling() {
            return handling;
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
