package dev.choreo.localsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor and its control endpoint against real JVMs: stand-in services and the real broker, real SIGKILL,
 * SIGSTOP and SIGCONT, driven through HTTP as {@code ./run-local.sh ctl} drives it.
 */
class SupervisorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path runDir;

    private final ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
    private final Console console = new Console(new PrintStream(consoleBytes, true, StandardCharsets.UTF_8), false, Console.ServiceOutput.NONE);
    private final HttpClient http = HttpClient.newHttpClient();
    private Supervisor supervisor;
    private ControlServer control;
    private ServiceProcess payment;
    private KafkaBroker broker;

    @AfterEach
    void stopEverything() {
        if (control != null) {
            control.close();
        }
        if (supervisor != null) {
            supervisor.close();
        }
        if (payment != null) {
            payment.stop(Duration.ofSeconds(5));
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void restartsASigkilledServiceWithTheSameCommandLineAndSaysSo() throws Exception {
        supervise(true, false);
        long firstPid = payment.pid().orElseThrow();
        List<String> firstCommand = payment.commandLine();

        assertThat(ctl("POST", "/kill-9/payment-service")).startsWith("200 payment-service killed (pid " + firstPid + ")");

        assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).as("SIGKILL took it down").isEmpty();
        await().atMost(TIMEOUT).until(() -> payment.isHealthy() && payment.pid().orElse(firstPid) != firstPid);
        assertThat(payment.commandLine()).isEqualTo(firstCommand);
        assertThat(supervisor.restarts("payment-service")).isEqualTo(1);
        assertThat(console()).contains("supervisor: restarting payment-service with the same command line (restart #1, it ended with exit code 137)")
                .containsPattern("supervisor: payment-service back UP in \\d+\\.\\d s");
        assertThat(ctl("GET", "/status")).containsPattern("payment-service +UP +" + payment.pid().orElseThrow() + " .* 1\\n");
    }

    @Test
    void aServiceKilledFromOutsideIsReportedAndRestarted() throws Exception {
        supervise(true, false);
        long firstPid = payment.pid().orElseThrow();

        new ProcessBuilder("kill", "-9", String.valueOf(firstPid)).start().waitFor();

        await().atMost(TIMEOUT).until(() -> payment.isHealthy() && payment.pid().orElse(firstPid) != firstPid);
        assertThat(console()).contains("payment-service died unexpectedly (exit code 137)")
                .contains("supervisor: restarting payment-service");
    }

    @Test
    void withoutSupervisionADeadServiceStaysDownUntilStarted() throws Exception {
        supervise(false, false);
        long firstPid = payment.pid().orElseThrow();

        new ProcessBuilder("kill", "-9", String.valueOf(firstPid)).start().waitFor();

        await().atMost(TIMEOUT).until(() -> console().contains("payment-service died unexpectedly (exit code 137); not restarting it (--no-supervise)"));
        assertThat(payment.isAlive()).isFalse();
        assertThat(ctl("GET", "/status")).containsPattern("payment-service +DOWN +- ");
        assertThat(ctl("POST", "/start/payment-service")).startsWith("200 payment-service UP in");
        assertThat(payment.isHealthy()).isTrue();
    }

    @Test
    void stopKeepsAServiceDownStartAndRestartBringItBack() throws Exception {
        supervise(true, false);

        assertThat(ctl("POST", "/stop/payment-service")).isEqualTo("200 payment-service stopped\n");
        assertThat(payment.isAlive()).isFalse();
        assertThat(ctl("GET", "/status")).containsPattern("payment-service +STOPPED");
        assertThat(supervisor.restarts("payment-service")).isZero();

        assertThat(ctl("POST", "/start/payment-service")).startsWith("200 payment-service UP in");
        long pid = payment.pid().orElseThrow();
        assertThat(ctl("POST", "/restart/payment-service")).startsWith("200 payment-service restarted, UP in");
        assertThat(payment.pid().orElseThrow()).isNotEqualTo(pid);
        assertThat(payment.isHealthy()).isTrue();
        assertThat(supervisor.restarts("payment-service")).as("asked for, not repairs").isZero();
    }

    @Test
    void pausesAndResumesAProcessWithoutTheSupervisorInterfering() throws Exception {
        supervise(true, false);
        long pid = payment.pid().orElseThrow();

        assertThat(ctl("POST", "/pause/payment-service")).isEqualTo("200 payment-service paused (SIGSTOP)\n");
        assertThat(processState(pid)).isEqualTo("T");
        assertThat(ctl("GET", "/status")).containsPattern("payment-service +PAUSED +" + pid);

        assertThat(ctl("POST", "/resume/payment-service")).isEqualTo("200 payment-service resumed (SIGCONT)\n");
        assertThat(processState(pid)).isIn("S", "R");
        assertThat(payment.pid()).hasValue(pid);
        assertThat(get(payment.healthUrl())).contains("UP");
    }

    @Test
    void scalesAServiceToASecondInstanceOnAnotherPortAndBack() throws Exception {
        supervise(true, false);

        assertThat(ctl("POST", "/scale/payment-service/2")).startsWith("200 payment-service runs 2 instance(s): payment-service#2 UP in");
        Supervised second = supervisor.get("payment-service#2");
        assertThat(second.isAlive()).isTrue();
        assertThat(second.address()).isNotEqualTo(payment.baseUrl());
        assertThat(get(second.address() + "/args")).contains("--instance=2");

        long secondPid = second.pid().orElseThrow();
        assertThat(ctl("POST", "/kill-9/payment-service%232")).startsWith("200 payment-service#2 killed");
        await().atMost(TIMEOUT).until(() -> second.isAlive() && second.pid().orElse(secondPid) != secondPid);

        assertThat(ctl("POST", "/scale/payment-service/1")).isEqualTo("200 payment-service runs 1 instance(s): payment-service#2 stopped\n");
        assertThat(second.isAlive()).isFalse();
        assertThat(ctl("GET", "/status")).doesNotContain("payment-service#2");
        assertThat(payment.isHealthy()).isTrue();
    }

    @Test
    void answersUnknownNamesAndActionsWithClientErrors() throws Exception {
        supervise(true, true);

        assertThat(ctl("POST", "/kill-9/billing-service")).startsWith("404 No billing-service in this suite; it has kafka, payment-service");
        assertThat(ctl("POST", "/explode/payment-service")).startsWith("400 Unknown action");
        assertThat(ctl("POST", "/scale/kafka/2")).startsWith("400 kafka cannot be scaled");
        assertThat(ctl("POST", "/scale/payment-service/0")).startsWith("400 scale to at least 1");
        assertThat(Files.readString(runDir.resolve("control.port"))).isEqualTo(String.valueOf(control.port()));
    }

    @Test
    void restartsASigkilledBrokerOnTheSamePort() throws Exception {
        supervise(true, true);
        long brokerPid = broker.pid().orElseThrow();

        assertThat(ctl("POST", "/kill-9/kafka")).startsWith("200 kafka killed (pid " + brokerPid + ")");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> ctl("GET", "/status").matches("(?s).*kafka +STARTING .*"));

        await().atMost(Duration.ofSeconds(60)).until(() -> broker.isRunning() && broker.pid().orElse(brokerPid) != brokerPid);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(1);
        }
        assertThat(console()).contains("supervisor: restarting kafka with the same command line (restart #1");
    }

    @Test
    void healthSaysWhatIsReadyHowFarEachServiceIsBehindAndWhatHangs() throws Exception {
        supervise(true, true);
        String topic = "payment-health-events";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
                KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                        new StringSerializer(), new StringSerializer())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get();
            }
            // payment-service's consumer group has read two of the five
            admin.alterConsumerGroupOffsets("payment-service",
                    Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(2))).all().get();
        }

        assertThat(ctl("GET", "/health")).startsWith("200 choreo at ").contains("2 of 2 running, 2 ready")
                .containsPattern("kafka +UP +yes +- +0")
                .containsPattern("payment-service +UP +yes +3 +0");

        ctl("POST", "/pause/payment-service");
        assertThat(ctl("GET", "/health")).contains("1 ready").containsPattern("payment-service +PAUSED +no answer +3 ");
        ctl("POST", "/resume/payment-service");
    }

    private void supervise(boolean restartDead, boolean withBroker) {
        supervisor = new Supervisor(console, restartDead);
        if (withBroker) {
            broker = new KafkaBroker(runDir.resolve("kafka"), 0);
            broker.start();
            supervisor.add(Supervised.server("kafka", broker), null);
        }
        int port = FreePorts.pick();
        payment = new ServiceProcess("payment-service", port, standIn(port, 1), runDir, console);
        Supervised unit = Supervised.service(payment, TIMEOUT, Duration.ofSeconds(5));
        unit.start();
        supervisor.add(unit, instance -> {
            int instancePort = FreePorts.pick();
            return Supervised.service(new ServiceProcess(Supervisor.instanceName("payment-service", instance),
                    instancePort, standIn(instancePort, instance), runDir, console), TIMEOUT, Duration.ofSeconds(5));
        });
        supervisor.watch();
        control = ControlServer.start(supervisor, 0, runDir.resolve("control.port"), null);
    }

    private static JavaCommand standIn(int port, int instance) {
        return StandIns.command().withArgs(List.of("--server.port=" + port, "--instance=" + instance));
    }

    private String ctl(String method, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(control.baseUrl() + path));
        request = method.equals("GET") ? request.GET() : request.POST(HttpRequest.BodyPublishers.noBody());
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    private String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The state letter in /proc/<pid>/stat: T stopped, S sleeping, R running. */
    private static String processState(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    }

    private String console() {
        return consoleBytes.toString(StandardCharsets.UTF_8);
    }
}
