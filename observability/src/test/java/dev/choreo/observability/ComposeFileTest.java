package dev.choreo.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.observability.Repo.SpringService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, checked without a Docker engine: it validates with docker-compose, every container has a
 * healthcheck and a memory limit and runs a pinned image (or one built here), dependencies wait for health, every
 * service of the repository runs in it with the container settings, and each database service gets its own database.
 */
class ComposeFileTest {

    /** image:tag where the tag names a version (a digit in it), not latest/stable/a bare major alias like "17". */
    private static final Pattern PINNED_IMAGE = Pattern.compile("^[a-z0-9./_-]+:(?!latest$)[A-Za-z0-9._-]*\\d[A-Za-z0-9._-]*\\.[A-Za-z0-9._-]+$");

    /** Every published port is bound to the loopback unless CHOREO_BIND_ADDRESS says otherwise. */
    private static final String LOOPBACK_UNLESS_TOLD = "${CHOREO_BIND_ADDRESS:-127.0.0.1}:";

    private final ComposeFile compose = ComposeFile.load();

    @Test
    void validatesWithDockerCompose() throws IOException, InterruptedException {
        List<String> command = composeCommand();
        command.addAll(List.of("-f", Repo.COMPOSE_FILE.toString(), "config", "-q"));
        Process process = new ProcessBuilder(command).directory(Repo.ROOT.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("docker-compose config finished").isTrue();
        assertThat(process.exitValue()).as("docker-compose config: %s", output).isZero();
    }

    @Test
    void everyContainerHasAHealthcheckAMemoryLimitAndAPinnedImageOrABuild() {
        compose.services().forEach((name, service) -> {
            if (isOneShot(name, service)) {
                assertThat(service.get("mem_limit")).as("%s: mem_limit", name).isNotNull();
                assertThat(String.valueOf(service.get("image"))).as("%s: image pinned", name).matches(PINNED_IMAGE);
                return;
            }
            Map<String, Object> healthcheck = ComposeFile.object(service.get("healthcheck"));
            List<String> test = ComposeFile.strings(healthcheck.get("test"));
            assertThat(test).as("%s: healthcheck.test", name).isNotEmpty().doesNotContain("NONE");
            assertThat(healthcheck.get("disable")).as("%s: healthcheck disabled", name).isNotEqualTo(Boolean.TRUE);

            Object deployLimit = ComposeFile.object(ComposeFile.object(ComposeFile.object(service.get("deploy"))
                    .get("resources")).get("limits")).get("memory");
            assertThat(service.get("mem_limit") != null || deployLimit != null)
                    .as("%s: mem_limit or deploy.resources.limits.memory", name).isTrue();

            if (service.containsKey("build")) {
                assertThat(ComposeFile.object(service.get("build")).get("context")).as("%s: build context", name)
                        .isEqualTo(".");
            } else {
                assertThat(String.valueOf(service.get("image"))).as("%s: image pinned to a version", name)
                        .matches(PINNED_IMAGE);
            }
        });
    }

    @Test
    void dependenciesWaitUntilTheDependencyIsHealthy() {
        compose.services().forEach((name, service) -> {
            Object dependsOn = service.get("depends_on");
            assertThat(dependsOn).as("%s: depends_on in the long form (with a condition)", name)
                    .satisfiesAnyOf(value -> assertThat(value).isNull(), value -> assertThat(value).isInstanceOf(Map.class));
            ComposeFile.map(dependsOn).forEach((dependency, settings) -> {
                if (isOneShot(dependency, compose.service(dependency))) {
                    assertThat(settings.get("condition")).as("%s depends on one-shot %s", name, dependency)
                            .isEqualTo("service_completed_successfully");
                    return;
                }
                assertThat(settings.get("condition")).as("%s depends on %s", name, dependency).isEqualTo("service_healthy");
                assertThat(compose.service(dependency)).as("%s: dependency %s has a healthcheck", name, dependency)
                        .containsKey("healthcheck");
            });
        });
    }

    @Test
    void everyServiceOfTheRepositoryRunsFromThisRepositorysDockerfileWithTheAgentAndTheContainerProfile() {
        List<SpringService> services = Repo.springServices();
        assertThat(services).extracting(SpringService::module)
                .contains("order-service", "inventory-service", "payment-service", "shipping-service",
                        "notification-service", "tracing-collector");
        String kafkaInternal = kafkaInternalBootstrap();
        for (SpringService spring : services) {
            Map<String, Object> service = compose.service(spring.module());
            Map<String, Object> build = ComposeFile.object(service.get("build"));
            assertThat(ComposeFile.object(build.get("args")).get("MODULE")).as("%s: build arg MODULE", spring.module())
                    .isEqualTo(spring.module());
            assertThat(build.getOrDefault("dockerfile", "Dockerfile")).isEqualTo("Dockerfile");
            assertThat(ComposeFile.strings(service.get("ports"))).as("%s: published on its own port", spring.module())
                    .contains(LOOPBACK_UNLESS_TOLD + spring.port() + ":" + spring.port());
            assertThat(String.join(" ", ComposeFile.strings(ComposeFile.object(service.get("healthcheck")).get("test"))))
                    .as("%s: healthcheck asks its readiness probe", spring.module())
                    .contains("http://localhost:" + spring.port() + "/actuator/health/readiness");

            Map<String, String> environment = ComposeFile.environment(service);
            assertThat(environment).as("%s: environment", spring.module())
                    .containsEntry("SPRING_PROFILES_ACTIVE", "container")
                    .containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", kafkaInternal)
                    .containsEntry("OTEL_SERVICE_NAME", spring.module())
                    .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://jaeger:4318");
            assertThat(ComposeFile.map(service.get("depends_on"))).as("%s: waits for", spring.module())
                    .containsKeys("kafka", "jaeger");
        }
    }

    @Test
    void everyServiceWithADatabaseGetsItsOwnDatabaseAndRoleFromTheInitScript() {
        Map<String, Object> postgres = compose.service("postgres");
        Map<String, String> postgresEnvironment = ComposeFile.environment(postgres);
        List<String> created = List.of(postgresEnvironment.get("CHOREO_DATABASES").trim().split("\\s+"));
        assertThat(ComposeFile.strings(postgres.get("volumes")))
                .contains("./observability/postgres/init-databases.sh:/docker-entrypoint-initdb.d/10-init-databases.sh:ro");

        List<String> databases = new ArrayList<>();
        for (SpringService spring : Repo.springServices()) {
            if (spring.database() == null) {
                continue;
            }
            databases.add(spring.database());
            Map<String, String> environment = ComposeFile.environment(compose.service(spring.module()));
            // the password: the file the secrets container generated, read as the property DB_PASSWORD
            String passwordFile = postgresEnvironment.get("CHOREO_DB_PASSWORD_FILE");
            assertThat(passwordFile).endsWith("/DB_PASSWORD");
            String secretsDirectory = passwordFile.substring(0, passwordFile.lastIndexOf('/') + 1);
            assertThat(environment).as("%s: datasource settings", spring.module())
                    .containsEntry("DB_HOST", "postgres")
                    .containsEntry("DB_NAME", spring.database())
                    .containsEntry("DB_USER", spring.database())
                    .containsEntry("SPRING_CONFIG_IMPORT", "configtree:" + secretsDirectory)
                    .doesNotContainKey("DB_PASSWORD");
            assertThat(ComposeFile.strings(compose.service(spring.module()).get("volumes")))
                    .as("%s: the database secret, read-only", spring.module())
                    .contains("choreo-db-secret:" + secretsDirectory.substring(0, secretsDirectory.length() - 1) + ":ro");
            assertThat(ComposeFile.map(compose.service(spring.module()).get("depends_on"))).containsKey("postgres");
        }
        assertThat(databases).as("services with a database").hasSizeGreaterThanOrEqualTo(5);
        assertThat(created).as("CHOREO_DATABASES of the postgres container").containsExactlyInAnyOrderElementsOf(databases);
    }

    @Test
    void kafkaIsASingleKraftNodeWithAValidClusterIdAndListenersForContainersAndTheHost() {
        Map<String, String> kafka = ComposeFile.environment(compose.service("kafka"));
        byte[] clusterId = Base64.getUrlDecoder().decode(kafka.get("CLUSTER_ID"));
        assertThat(clusterId).as("CLUSTER_ID is a Kafka Uuid: 16 bytes, URL-safe base64").hasSize(16);
        assertThat(kafka).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsEntry("KAFKA_CONTROLLER_QUORUM_VOTERS", kafka.get("KAFKA_NODE_ID") + "@kafka:9093")
                .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1");
        assertThat(kafka.get("KAFKA_ADVERTISED_LISTENERS")).contains("EXTERNAL://localhost:9092");
        assertThat(ComposeFile.strings(compose.service("kafka").get("ports"))).contains(LOOPBACK_UNLESS_TOLD + "9092:9092");
    }

    @Test
    void grafanaAndPrometheusUseTheFilesOfThisModule() {
        assertThat(ComposeFile.strings(compose.service("prometheus").get("volumes")))
                .contains("./observability/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
                        "./observability/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
        assertThat(ComposeFile.strings(compose.service("grafana").get("volumes")))
                .contains("./observability/grafana/provisioning:/etc/grafana/provisioning:ro",
                        "./observability/grafana/dashboards:/var/lib/grafana/dashboards:ro");
        String home = ComposeFile.environment(compose.service("grafana")).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertThat(Repo.DASHBOARDS.resolve(Path.of(home).getFileName())).as("Grafana's home dashboard").isRegularFile();
        assertThat(ComposeFile.strings(compose.service("grafana").get("ports"))).contains(LOOPBACK_UNLESS_TOLD + "3000:3000");
        assertThat(ComposeFile.strings(compose.service("prometheus").get("ports"))).contains(LOOPBACK_UNLESS_TOLD + "9090:9090");
        assertThat(ComposeFile.strings(compose.service("jaeger").get("ports"))).contains(LOOPBACK_UNLESS_TOLD + "16686:16686");
    }

    /** Issue 15: nothing reachable from other machines unless the user says so, no password in the file. */
    @Test
    void securedByDefaultPortsOnTheLoopbackNoPasswordCommittedNoLifecycleApi() {
        compose.services().forEach((name, service) -> {
            assertThat(ComposeFile.strings(service.get("ports"))).as("%s: published ports", name)
                    .allSatisfy(port -> assertThat(port).startsWith(LOOPBACK_UNLESS_TOLD));
            ComposeFile.environment(service).forEach((key, value) -> {
                if (key.contains("PASSWORD")) {
                    assertThat(key).as("%s: %s comes from a generated file, not from the compose file", name, key)
                            .endsWith("_FILE");
                    assertThat(value).as("%s: %s", name, key).startsWith("/run/secrets/");
                }
            });
        });
        assertThat(ComposeFile.strings(compose.service("prometheus").get("command")))
                .as("Prometheus's lifecycle API would let anyone shut it down").doesNotContain("--web.enable-lifecycle");
        assertThat(ComposeFile.environment(compose.service("grafana")))
                .containsEntry("GF_SECURITY_ADMIN_PASSWORD__FILE", "/run/secrets/choreo-admin/grafana-admin-password")
                .doesNotContainKey("GF_SECURITY_ADMIN_PASSWORD");
        assertThat(ComposeFile.environment(compose.service("postgres")))
                .containsEntry("POSTGRES_PASSWORD_FILE", "/run/secrets/choreo-admin/postgres-password")
                .doesNotContainKey("POSTGRES_PASSWORD");
        assertThat(ComposeFile.strings(compose.service("secrets").get("volumes")))
                .contains("./observability/secrets/generate-secrets.sh:/usr/local/bin/generate-secrets.sh:ro");
    }

    /** A container that runs to completion once (the secrets generator): no healthcheck, waited for to finish. */
    private static boolean isOneShot(String name, Map<String, Object> service) {
        return "no".equals(String.valueOf(service.get("restart"))) && !service.containsKey("healthcheck")
                && !service.containsKey("ports");
    }

    private String kafkaInternalBootstrap() {
        String advertised = ComposeFile.environment(compose.service("kafka")).get("KAFKA_ADVERTISED_LISTENERS");
        String internalName = ComposeFile.environment(compose.service("kafka")).get("KAFKA_INTER_BROKER_LISTENER_NAME");
        for (String listener : advertised.split(",")) {
            if (listener.startsWith(internalName + "://")) {
                return listener.substring(internalName.length() + 3);
            }
        }
        throw new AssertionError("No advertised " + internalName + " listener in " + advertised);
    }

    /** docker-compose (v1, Debian's, validates without a daemon), else the docker CLI's compose plugin. */
    private static List<String> composeCommand() throws IOException, InterruptedException {
        if (Tools.find("docker-compose").isPresent()) {
            return new ArrayList<>(List.of(Tools.find("docker-compose").get().toString()));
        }
        if (Tools.find("docker").isPresent()) {
            Process version = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            if (version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0) {
                return new ArrayList<>(List.of("docker", "compose"));
            }
        }
        return Tools.unavailable("Neither docker-compose nor 'docker compose' is installed "
                + "(apt-get install -y --no-install-recommends docker-compose)");
    }
}
