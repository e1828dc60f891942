package dev.choreo.observability;

import dev.choreo.localsuite.ChoreoService;
import dev.choreo.localsuite.Console;
import dev.choreo.localsuite.FreePorts;
import dev.choreo.localsuite.JavaCommand;
import dev.choreo.localsuite.KafkaBroker;
import dev.choreo.localsuite.PostgresDatabases;
import dev.choreo.localsuite.RepoLayout;
import dev.choreo.localsuite.ServiceProcess;
import dev.choreo.localsuite.SuiteLauncher;
import dev.choreo.observability.Repo.SpringService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * The running suite, observed as in docker compose, shared by the suite tests of this module (one start per build):
 *
 * <ul>
 *   <li>local-suite's real KRaft broker, a fresh PostgreSQL database per service and every service's exec jar in
 *       its own JVM, each with the OpenTelemetry Java agent (observability/otel/agent.properties, as the Docker
 *       images) exporting to an in-test OTLP receiver;</li>
 *   <li>a real Prometheus scraping them every second with observability/prometheus/prometheus.yml, adapted to
 *       the local ports;</li>
 *   <li>the scenario: a completed order, a declined payment, an out-of-stock order, an order to Antarctica, a poison
 *       record on order-events, and an order stuck at the ship step because shipping-service was stopped (the
 *       collector runs with a short deadline for that step).</li>
 * </ul>
 */
final class ObservedSuite implements AutoCloseable {

    /** The ship step's deadline for the collector in this run: the stuck order is flagged after it. */
    static final Duration SHIP_DEADLINE = Duration.ofSeconds(8);

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** The HTTP password of the user operator on every service: the tests place orders and read as the operator. */
    private static final String OPERATOR_PASSWORD = UUID.randomUUID().toString().replace("-", "");
    private static final Object LOCK = new Object();
    private static Object shared; // the suite, or the failure that kept it from starting

    private final String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final Path runDir = Repo.OBSERVABILITY.resolve("target/observed-suite").resolve(runId);
    /** The HTTP password of the user scraper on every service, the one Prometheus scrapes with (as in compose). */
    private final String scraperPassword = UUID.randomUUID().toString().replace("-", "");
    private final PostgresDatabases postgres = PostgresDatabases.fromEnvironment();
    private final List<String> databases = new ArrayList<>();
    private final Map<ChoreoService, ServiceProcess> processes = new EnumMap<>(ChoreoService.class);
    private final Map<String, Order> orders = new LinkedHashMap<>();
    private OtlpReceiver otlp;
    private KafkaBroker broker;
    private SuiteLauncher launcher;
    private PrometheusServer prometheus;
    private String poisonCorrelationId;

    private ObservedSuite() {
    }

    /** The shared suite; started by the first test that needs it, stopped when the test run ends. */
    static ObservedSuite shared() {
        synchronized (LOCK) {
            if (shared == null) {
                ObservedSuite suite = new ObservedSuite();
                try {
                    suite.start();
                    suite.runScenario();
                    shared = suite;
                } catch (RuntimeException | Error e) {
                    shared = e;
                    try {
                        suite.close();
                    } catch (RuntimeException cleanup) {
                        e.addSuppressed(cleanup);
                    }
                }
            }
            if (shared instanceof Throwable failure) {
                throw new IllegalStateException("The observed suite did not come up: " + failure, failure);
            }
            return (ObservedSuite) shared;
        }
    }

    // ------------------------------------------------------------------------------------------- what tests see

    PrometheusServer prometheus() {
        return prometheus;
    }

    OtlpReceiver otlp() {
        return otlp;
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    String baseUrl(ChoreoService service) {
        return processes.get(service).baseUrl();
    }

    Path logFile(ChoreoService service) {
        return processes.get(service).logFile();
    }

    /** The orders of the scenario by name: completed, declined, soldOut, antarctica, stuck. */
    Order order(String name) {
        return orders.get(name);
    }

    String poisonCorrelationId() {
        return poisonCorrelationId;
    }

    /** GET on a service; the body as JSON (fails on a status other than 200). */
    static JsonNode getJson(String url) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + url + " -> " + response.statusCode() + ": " + response.body());
        }
        return Dashboards.JSON.readTree(response.body());
    }

    /** GET on a service; the body as text (fails on a status other than 200). */
    static String getText(String url) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + url + " -> " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** An order of the scenario: what order-service answered and the status it ended in. */
    record Order(String orderId, String correlationId, String expectedStatus) {
    }

    // ------------------------------------------------------------------------------------------- start, scenario

    private void start() {
        RepoLayout repo = new RepoLayout(Repo.ROOT);
        repo.requireBuilt(List.of(ChoreoService.values()));
        Path agent = Path.of(System.getProperty("opentelemetry-javaagent.jar",
                Repo.OBSERVABILITY.resolve("target/otel/opentelemetry-javaagent.jar").toString()));
        if (!Files.isRegularFile(agent)) {
            throw new IllegalStateException("No OpenTelemetry agent at " + agent + " (./mvnw -pl observability generate-test-resources)");
        }
        otlp = OtlpReceiver.start();

        broker = new KafkaBroker(runDir.resolve("kafka"), 0).logTo(runDir.resolve("logs/kafka.log"));
        broker.start();

        Map<String, SpringService> springServices = new LinkedHashMap<>();
        Repo.springServices().forEach(service -> springServices.put(service.module(), service));
        Console console = new Console(System.out, false, Console.ServiceOutput.NONE);
        launcher = new SuiteLauncher(console, STARTUP_TIMEOUT, STOP_GRACE);
        Path collectorFlow = writeCollectorFlow();
        for (ChoreoService service : ChoreoService.values()) {
            int port = FreePorts.pick();
            List<String> jvmOptions = new ArrayList<>(ChoreoService.DEFAULT_JVM_OPTIONS);
            jvmOptions.addAll(List.of(
                    "-javaagent:" + agent,
                    "-Dotel.javaagent.configuration-file=" + Repo.AGENT_PROPERTIES,
                    "-Dotel.service.name=" + service.moduleName(),
                    "-Dotel.exporter.otlp.endpoint=" + otlp.endpoint(),
                    "-Dotel.bsp.schedule.delay=200"));
            List<String> args = new ArrayList<>(List.of(
                    "--server.port=" + port,
                    "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                    // the services log each event they handle at DEBUG; the log test reads those lines
                    "--logging.level.dev.choreo=DEBUG",
                    // Prometheus scrapes as this user (basic_auth in prometheus.yml), as in compose
                    "--choreo.security.users.scraper.password=" + scraperPassword,
                    "--choreo.security.users.operator.password=" + OPERATOR_PASSWORD));
            SpringService spring = springServices.get(service.moduleName());
            if (spring != null && spring.database() != null) {
                String database = "obs_" + spring.database() + "_" + runId;
                postgres.create(database);
                databases.add(database);
                args.add("--spring.datasource.url=" + postgres.jdbcUrl(database));
                args.add("--spring.datasource.username=" + postgres.username());
                if (!postgres.password().isEmpty()) {
                    args.add("--spring.datasource.password=" + postgres.password());
                }
            }
            if (service == ChoreoService.TRACING_COLLECTOR) {
                args.add("--spring.config.additional-location=file:" + collectorFlow);
            }
            JavaCommand command = JavaCommand.jar(repo.execJar(service)).withJvmOptions(jvmOptions).withArgs(args);
            ServiceProcess process = new ServiceProcess(service.moduleName(), port, command, runDir, console);
            processes.put(service, process);
            launcher.add(process);
        }
        launcher.startAll();

        // Prometheus scrapes from before the first order, so every counter's increase is seen
        int prometheusPort = PrometheusServer.freePort();
        Map<String, String> addresses = new LinkedHashMap<>();
        processes.forEach((service, process) -> addresses.put(service.moduleName(), "127.0.0.1:" + process.port()));
        addresses.put("localhost", "127.0.0.1:" + prometheusPort);
        Path scraperPasswordFile = runDir.resolve("prometheus/scraper-password");
        try {
            Files.createDirectories(scraperPasswordFile.getParent());
            Files.writeString(scraperPasswordFile, scraperPassword);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path config = ScrapeConfig.load().writeLocalVariant(runDir.resolve("prometheus/prometheus.yml"), addresses,
                scraperPasswordFile);
        prometheus = PrometheusServer.start(config, runDir.resolve("prometheus"), prometheusPort);
        prometheus.awaitEveryTargetUp(addresses.size(), Duration.ofSeconds(30));
    }

    private void runScenario() {
        place("completed", "SKU-KEYBOARD", "tok_visa", "FI", "COMPLETED");
        place("declined", "SKU-MOUSE", "tok_chargeDeclined", "FI", "CANCELLED");
        place("soldOut", "SKU-SOLDOUT", "tok_visa", "FI", "REJECTED");
        place("antarctica", "SKU-WEBCAM", "tok_visa", "AQ", "CANCELLED");
        for (Order order : orders.values()) {
            Awaitility.await("order " + order.orderId() + " " + order.expectedStatus())
                    .atMost(FLOW_TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .until(() -> getJson(baseUrl(ChoreoService.ORDER) + "/orders/" + order.orderId()).path("status").asString(),
                            order.expectedStatus()::equals);
        }

        publishPoisonRecord();
        Awaitility.await("the poison record dead-lettered, on the collector's process " + poisonCorrelationId)
                .atMost(FLOW_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> getJson(baseUrl(ChoreoService.TRACING_COLLECTOR) + "/processes/" + poisonCorrelationId)
                        .path("deadLetters").size() > 0);

        launcher.stop(ChoreoService.SHIPPING.moduleName());
        Order stuck = place("stuck", "SKU-HEADSET", "tok_visa", "FI", "PAID");
        Awaitility.await("order " + stuck.orderId() + " STUCK at ship in the collector")
                .atMost(FLOW_TIMEOUT.plus(SHIP_DEADLINE)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> getJson(baseUrl(ChoreoService.TRACING_COLLECTOR) + "/processes/" + stuck.correlationId())
                        .path("outcome").asString(), "STUCK"::equals);
    }

    private Order place(String name, String sku, String paymentToken, String country, String expectedStatus) {
        String body = """
                {"customerId": "c-observed", "items": [{"sku": "%s", "quantity": 1}],
                 "paymentToken": "%s",
                 "shippingAddress": {"name": "Ada Lovelace", "street": "1 Main Street", "city": "Somewhere",
                                     "postalCode": "00100", "country": "%s"}}
                """.formatted(sku, paymentToken, country);
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl(ChoreoService.ORDER) + "/orders"))
                .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        // order-service prices from its replica of the catalogue, filled from Kafka after it started: until the
        // replica has the SKU it refuses the order (422, nothing stored), so ask again
        HttpResponse<String> response = Awaitility.await("order-service knows " + sku).atMost(FLOW_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> send(request), answer -> answer.statusCode() != 422 || !answer.body().contains("not in the catalogue"));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST /orders (" + name + ") -> " + response.statusCode() + ": " + response.body());
        }
        JsonNode placed = Dashboards.JSON.readTree(response.body());
        Order order = new Order(placed.path("orderId").asString(), placed.path("correlationId").asString(), expectedStatus);
        orders.put(name, order);
        return order;
    }

    /** Not JSON at all: every consumer of order-events retries, then dead-letters it with the cause. */
    private void publishPoisonRecord() {
        poisonCorrelationId = UUID.randomUUID().toString();
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
            ProducerRecord<String, String> poison = new ProducerRecord<>("order-events", "ord-poison-" + runId,
                    "this is not an event {");
            poison.headers().add("correlationId", poisonCorrelationId.getBytes(StandardCharsets.UTF_8));
            producer.send(poison).get();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot publish the poison record", e);
        }
    }

    /**
     * The collector's declared flow, from its application.yml, with the ship step's deadline shortened: passed as
     * an additional config location, whose list replaces the packaged one whole.
     */
    @SuppressWarnings("unchecked")
    private Path writeCollectorFlow() {
        Map<String, Object> yaml = new Yaml().load(Repo.read(Repo.ROOT.resolve("tracing-collector/src/main/resources/application.yml")));
        Map<String, Object> flow = (Map<String, Object>) ((Map<String, Object>) yaml.get("choreo")).get("flow");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) flow.get("steps");
        Map<String, Object> ship = steps.stream().filter(step -> "ship".equals(step.get("name"))).findFirst()
                .orElseThrow(() -> new IllegalStateException("The collector's flow has no step 'ship': " + steps));
        ship.put("deadline", SHIP_DEADLINE.toSeconds() + "s");
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Path file = runDir.resolve("collector-flow.yml");
        try {
            Files.createDirectories(runDir);
            Files.writeString(file, new Yaml(options).dump(Map.of("choreo", Map.of("flow", flow))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** As the operator, who may place orders for anyone and read every service. */
    private static HttpResponse<String> send(HttpRequest request) {
        HttpRequest asOperator = HttpRequest.newBuilder(request, (name, value) -> true)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("operator:" + OPERATOR_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .build();
        try {
            return HTTP.send(asOperator, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------- stop

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        attempt(failures, () -> {
            if (prometheus != null) {
                prometheus.close();
            }
        });
        attempt(failures, () -> {
            if (launcher != null) {
                launcher.close();
            }
        });
        attempt(failures, () -> {
            if (broker != null) {
                broker.close();
            }
        });
        databases.forEach(database -> attempt(failures, () -> postgres.drop(database)));
        attempt(failures, () -> {
            if (otlp != null) {
                otlp.close();
            }
        });
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    private static void attempt(List<RuntimeException> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    /**
     * Gives a test class the shared suite as a constructor or method parameter, and stops it when the whole test
     * run ends (the root context's store closes it).
     */
    static final class Extension implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == ObservedSuite.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            ObservedSuite suite = shared();
            context.getRoot().getStore(ExtensionContext.Namespace.create(ObservedSuite.class))
                    .computeIfAbsent("suite", key -> suite);
            return suite;
        }
    }
}
