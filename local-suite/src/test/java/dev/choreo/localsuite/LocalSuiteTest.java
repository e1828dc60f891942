package dev.choreo.localsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import dev.choreo.localsuite.LocalSuite.Options;
import org.junit.jupiter.api.Test;

class LocalSuiteTest {

    @Test
    void startsEverythingFreshByDefault() {
        Options options = Options.parse();

        assertThat(options.services()).containsExactly(ChoreoService.values());
        assertThat(options.keepData()).isFalse();
        assertThat(options.serviceOutput()).as("warnings and errors only").isEqualTo(Console.ServiceOutput.PROBLEMS);
        assertThat(options.jvmOptions()).isEqualTo(ChoreoService.DEFAULT_JVM_OPTIONS);
        assertThat(options.startupTimeout()).isEqualTo(Options.DEFAULT_STARTUP_TIMEOUT);
        assertThat(options.supervise()).as("run-local.sh passes --supervise").isFalse();
        assertThat(options.controlPort()).isZero();
    }

    @Test
    void supervisionIsSwitchedByTheLastFlagAndIsNotAServiceToLeaveOut() {
        assertThat(Options.parse("--supervise").supervise()).isTrue();
        assertThat(Options.parse("--supervise", "--no-supervise").supervise()).isFalse();
        assertThat(Options.parse("--supervise", "--no-supervise").services()).containsExactly(ChoreoService.values());
        assertThat(Options.parse("--control-port=8099").controlPort()).isEqualTo(8099);
        assertThat(Options.parse().freePorts()).isFalse();
        assertThat(Options.parse().runDir()).isNull();
        assertThat(Options.parse("--free-ports", "--run-dir=target/x").freePorts()).isTrue();
        assertThat(Options.parse("--free-ports", "--run-dir=target/x").runDir()).isEqualTo(Path.of("target/x"));
    }

    @Test
    void everyInstanceOfAServiceSharesItsDatabaseFileThroughH2sMixedMode() {
        assertThat(LocalSuite.instanceArgs(40123, "127.0.0.1:9092", LocalSuite.h2Args(Path.of("/run/data"))))
                .contains("--server.port=40123", "--spring.kafka.bootstrap-servers=127.0.0.1:9092",
                        "--spring.profiles.active=local", "--choreo.local.data-dir=/run/data",
                        "--spring.datasource.hikari.data-source-properties.AUTO_SERVER=TRUE");
    }

    @Test
    void withPostgresEveryServiceButTheCollectorGetsItsOwnDatabaseOnTheDefaultProfile() {
        PostgresDatabases server = new PostgresDatabases("127.0.0.1:40999", "postgres", "");
        assertThat(LocalSuite.instanceArgs(8083, "127.0.0.1:9092", LocalSuite.postgresArgs(ChoreoService.PAYMENT, server)))
                .contains("--spring.datasource.url=jdbc:postgresql://127.0.0.1:40999/payment_service",
                        "--spring.datasource.username=postgres")
                .noneMatch(arg -> arg.startsWith("--spring.profiles.active"));
        assertThat(LocalSuite.postgresArgs(ChoreoService.TRACING_COLLECTOR, server)).isEmpty();
        assertThat(Options.parse("--postgres").postgres()).isTrue();
        assertThat(Options.parse().postgres()).isFalse();
    }

    @Test
    void aCrashedConsumersPartitionsWaitSixSecondsNotFortyFiveAndTheOthersKeepTheirs() {
        assertThat(LocalSuite.instanceArgs(8084, "127.0.0.1:9092", LocalSuite.h2Args(Path.of("/run/data"))))
                .contains("--spring.kafka.consumer.properties.session.timeout.ms=6000",
                        "--spring.kafka.consumer.properties.heartbeat.interval.ms=1500",
                        "--spring.kafka.consumer.properties.partition.assignment.strategy="
                                + "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    }

    @Test
    void parsesOptions() {
        Options options = Options.parse("--keep-data", "--quiet", "--no-notification-service",
                "--no-tracing-collector", "--jvm-opts= -Xmx512m  -XX:+UseG1GC ", "--startup-timeout=300");

        assertThat(options.services()).containsExactly(
                ChoreoService.ORDER, ChoreoService.INVENTORY, ChoreoService.PAYMENT, ChoreoService.SHIPPING);
        assertThat(options.keepData()).isTrue();
        assertThat(options.serviceOutput()).isEqualTo(Console.ServiceOutput.NONE);
        assertThat(Options.parse("--verbose").serviceOutput()).isEqualTo(Console.ServiceOutput.ALL);
        assertThat(options.jvmOptions()).containsExactly("-Xmx512m", "-XX:+UseG1GC");
        assertThat(options.startupTimeout()).hasSeconds(300);
    }

    @Test
    void rejectsUnknownOptionsAndServices() {
        assertThatThrownBy(() -> Options.parse("--otel")).hasMessage("Unknown option: --otel");
        assertThatThrownBy(() -> Options.parse("--no-billing-service")).hasMessage("No service called billing-service");
        assertThatThrownBy(() -> Options.parse("--startup-timeout=soon")).hasMessage("Not a positive number of seconds: soon");
    }

    @Test
    void picksTheProductWithTheMostStockForTheSampleOrder() {
        String catalogue = """
                [{"sku":"SKU-DOCK","name":"Dock (last units)","price":129.00,"currency":"EUR","available":5},
                 {"sku":"SKU-SOLDOUT","name":"Sold out","price":{"amount":9.90,"currency":"EUR"},"available":0},
                 {"sku":"SKU-MOUSE","name":"Mouse","price":29.90,"currency":"EUR","available":1000}]""";

        assertThat(LocalSuite.pickSku(catalogue)).contains("SKU-MOUSE");
        assertThat(LocalSuite.pickSku("[{\"sku\":\"ONLY\",\"available\":0}]")).contains("ONLY");
        assertThat(LocalSuite.pickSku("[]")).isEmpty();
    }

    @Test
    void samplePointsAtTheCollectorOnlyWhenItRuns() {
        LocalCredentials credentials = new LocalCredentials("c-pw", "o-pw", "s-pw");
        assertThat(LocalSuite.sampleOrder("SKU-MOUSE", true, credentials))
                .contains("\"sku\":\"SKU-MOUSE\"")
                .contains("curl -i -u customer:c-pw -X POST http://127.0.0.1:8081/orders")
                .contains("curl -u operator:o-pw http://127.0.0.1:8086/processes/<correlationId>");
        assertThat(LocalSuite.sampleOrder("SKU-MOUSE", false, credentials)).doesNotContain("8086");
    }

    @Test
    void drawsABoxAroundTheWelcome() {
        assertThat(LocalSuite.box(List.of("choreo is up", "", "Orders API  http://127.0.0.1:8081/orders")))
                .isEqualTo(String.join(System.lineSeparator(),
                        "+------------------------------------------+",
                        "| choreo is up                             |",
                        "|                                          |",
                        "| Orders API  http://127.0.0.1:8081/orders |",
                        "+------------------------------------------+"));
    }
}
