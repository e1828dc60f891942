package dev.choreo.localsuite.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.choreo.localsuite.ChoreoService;
import dev.choreo.localsuite.PostgresDatabases;
import dev.choreo.localsuite.StandIns;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/** The harness itself, with stand-ins for the service jars: real broker, real PostgreSQL databases, real JVMs. */
class RunningSuiteTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final PostgresDatabases postgres = PostgresDatabases.fromEnvironment();

    @Test
    void runsEveryServiceOnItsOwnPortAndDatabaseAndCleansUpAfterwards() throws Exception {
        Map<ChoreoService, String> databases = new EnumMap<>(ChoreoService.class);
        try (RunningSuite suite = RunningSuite.builder()
                .launchWith(service -> StandIns.command())
                .partitions(3)
                .args(ChoreoService.PAYMENT, "--payment.decline-rate=0.5", "--choreo.messaging.partitions=1")
                .start()) {

            for (ChoreoService service : ChoreoService.values()) {
                String database = suite.databaseName(service);
                databases.put(service, database);
                assertThat(database).matches("e2e_" + service.moduleName().replace('-', '_') + "_[0-9a-f]{8}");
                assertThat(postgres.exists(database)).isTrue();
                assertThat(argsOf(suite, service)).contains(
                        "--server.port=" + URI.create(suite.baseUrl(service)).getPort(),
                        "--spring.kafka.bootstrap-servers=" + suite.bootstrapServers(),
                        "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/" + database,
                        "--spring.datasource.username=postgres");
            }
            assertThat(argsOf(suite, ChoreoService.ORDER)).contains("--choreo.messaging.partitions=3");
            assertThat(argsOf(suite, ChoreoService.PAYMENT))
                    .contains("--payment.decline-rate=0.5", "--choreo.messaging.partitions=1")
                    .doesNotContain("--choreo.messaging.partitions=3");
            try (Connection connection = suite.connect(ChoreoService.ORDER)) {
                assertThat(connection.getCatalog()).isEqualTo(databases.get(ChoreoService.ORDER));
            }

            suite.stopService(ChoreoService.PAYMENT);
            assertThatThrownBy(() -> argsOf(suite, ChoreoService.PAYMENT)).isInstanceOf(IOException.class);
            suite.startService(ChoreoService.PAYMENT);
            assertThat(argsOf(suite, ChoreoService.PAYMENT)).contains("--payment.decline-rate=0.5");

            suite.killService(ChoreoService.PAYMENT);
            assertThatThrownBy(() -> argsOf(suite, ChoreoService.PAYMENT)).isInstanceOf(IOException.class);
            suite.startService(ChoreoService.PAYMENT);
            assertThat(argsOf(suite, ChoreoService.PAYMENT)).contains("--payment.decline-rate=0.5");

            suite.broker().stop();
            suite.broker().start();
            suite.broker().kill();
            assertThat(suite.broker().isRunning()).isFalse();
            suite.broker().start();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, suite.bootstrapServers()))) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> admin.describeCluster().nodes().get().size() == 1);
            }
        }
        databases.values().forEach(database -> assertThat(postgres.exists(database)).as(database).isFalse());
    }

    @Test
    void leavesOutServicesATestDoesNotNeed() {
        try (RunningSuite suite = RunningSuite.builder()
                .launchWith(service -> StandIns.command())
                .without(ChoreoService.NOTIFICATION, ChoreoService.TRACING_COLLECTOR, ChoreoService.SHIPPING,
                        ChoreoService.PAYMENT)
                .start()) {
            assertThat(suite.baseUrl(ChoreoService.ORDER)).startsWith("http://127.0.0.1:");
            assertThatThrownBy(() -> suite.baseUrl(ChoreoService.PAYMENT))
                    .hasMessageContaining("payment-service is not part of this suite");
        }
    }

    @Test
    void anExtraArgumentReplacesTheSuiteArgumentWithTheSameKey() {
        assertThat(RunningSuite.overriding(List.of("--a=1", "--b=2"), List.of("--b=3", "--c=4")))
                .containsExactly("--a=1", "--b=3", "--c=4");
    }

    private List<String> argsOf(RunningSuite suite, ChoreoService service) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(suite.baseUrl(service) + "/args")).build(),
                HttpResponse.BodyHandlers.ofString());
        return List.of(response.body().split("\n"));
    }
}
