package dev.choreo.messaging.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaAdmin;

class TopicReadinessTest {

    /** A service may start while the broker is away (its outbox keeps what it publishes): start-up must not fail. */
    @Test
    void startsWhenTheBrokerCannotBeAskedAndLeavesTheComparisonToTheRelay() throws Exception {
        int unused;
        try (ServerSocket socket = new ServerSocket(0)) {
            unused = socket.getLocalPort();
        }
        var readiness = new TopicReadiness(new KafkaAdmin(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + unused)),
                List.of(new NewTopic("order-events", 3, (short) 1)));

        long started = System.nanoTime();
        readiness.afterSingletonsInstantiated();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }
}
