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
import java.util.Properties;
import java.util.Set;
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
                    .doesNotContainKey("DB_PASSWORD");
            assertThat(List.of(environment.get("SPRING_CONFIG_IMPORT").split(","))).as("%s: SPRING_CONFIG_IMPORT", spring.module())
                    .contains("configtree:" + secretsDirectory);
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
        Properties broker = KafkaFiles.serverProperties();
        assertThat(broker).containsEntry("process.roles", "broker,controller")
                .containsEntry("controller.quorum.voters", broker.getProperty("node.id") + "@kafka:9093")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1");
        assertThat(broker.getProperty("advertised.listeners")).contains("EXTERNAL://localhost:9092");
        assertThat(broker.getProperty("log.dirs")).isEqualTo("/var/lib/kafka/data");
        assertThat(ComposeFile.strings(compose.service("kafka").get("volumes"))).contains("kafka-data:/var/lib/kafka/data");
        assertThat(ComposeFile.strings(compose.service("kafka").get("ports"))).contains(LOOPBACK_UNLESS_TOLD + "9092:9092");
    }

    /** Issue 15: the broker compose runs authenticates every client and authorizes every request. */
    @Test
    void kafkaRunsTheSecuredConfigurationOfThisModuleWithSaslOnEveryListenerAndTheStandardAuthorizer() {
        Map<String, Object> kafka = compose.service("kafka");
        assertThat(ComposeFile.strings(kafka.get("entrypoint"))).containsExactly("/bin/sh", "/opt/choreo/kafka/start-kafka.sh");
        assertThat(ComposeFile.strings(kafka.get("volumes"))).contains("./observability/kafka:/opt/choreo/kafka:ro",
                "choreo-kafka-admin:/run/secrets/choreo-kafka-admin:ro");
        assertThat(ComposeFile.environment(kafka).keySet()).as("the broker's settings are in server.properties, not in KAFKA_* variables")
                .allSatisfy(key -> assertThat(key).isIn("CLUSTER_ID", "KAFKA_HEAP_OPTS"));
        assertThat(ComposeFile.map(kafka.get("depends_on"))).containsKey("secrets");

        Properties broker = KafkaFiles.serverProperties();
        Map<String, String> protocols = new java.util.LinkedHashMap<>();
        for (String entry : broker.getProperty("listener.security.protocol.map").split(",")) {
            protocols.put(entry.split(":")[0], entry.split(":")[1]);
        }
        for (String listener : broker.getProperty("listeners").split(",")) {
            String name = listener.substring(0, listener.indexOf("://"));
            assertThat(protocols.get(name)).as("listener %s authenticates its clients", name).isEqualTo("SASL_PLAINTEXT");
            String mechanisms = broker.getProperty("listener.name." + name.toLowerCase(java.util.Locale.ROOT) + ".sasl.enabled.mechanisms");
            if (name.equals(broker.getProperty("controller.listener.names"))) {
                assertThat(mechanisms).as("the controller listener (JAAS user controller; SCRAM is not loaded yet there)").isEqualTo("PLAIN");
            } else {
                assertThat(mechanisms).as("client listener %s", name).isEqualTo("SCRAM-SHA-512");
            }
        }
        assertThat(broker).containsEntry("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512")
                .containsEntry("sasl.mechanism.controller.protocol", "PLAIN")
                .containsEntry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .containsEntry("allow.everyone.if.no.acl.found", "false")
                .containsEntry("auto.create.topics.enable", "false")
                .containsEntry("super.users", "User:admin;User:controller");
        assertThat(broker.stringPropertyNames()).as("no password in the committed file")
                .noneMatch(key -> key.contains("jaas") || key.contains("password"));
        // the healthcheck is an authenticated request, as admin
        assertThat(String.join(" ", ComposeFile.strings(ComposeFile.object(kafka.get("healthcheck")).get("test"))))
                .contains("--bootstrap-server localhost:9092", "--command-config /opt/kafka/config/admin-client.properties");
    }

    /** The one-shot init step applies observability/kafka/acls.txt after the broker is healthy, before any service. */
    @Test
    void theAclsAreAppliedByAOneShotInitStepEveryServiceWaitsFor() {
        Map<String, Object> init = compose.service("kafka-acls");
        assertThat(isOneShot("kafka-acls", init)).isTrue();
        assertThat(String.valueOf(init.get("image"))).isEqualTo(String.valueOf(compose.service("kafka").get("image")));
        assertThat(ComposeFile.strings(init.get("entrypoint"))).containsExactly("/bin/sh", "/opt/choreo/kafka/apply-acls.sh");
        assertThat(ComposeFile.strings(init.get("volumes"))).containsExactlyInAnyOrder("./observability/kafka:/opt/choreo/kafka:ro",
                "choreo-kafka-admin:/run/secrets/choreo-kafka-admin:ro");
        assertThat(ComposeFile.object(ComposeFile.map(init.get("depends_on")).get("kafka")))
                .containsEntry("condition", "service_healthy");
        assertThat(ComposeFile.environment(init)).containsEntry("KAFKA_BOOTSTRAP_SERVERS", kafkaInternalBootstrap());
        for (SpringService spring : Repo.springServices()) {
            assertThat(ComposeFile.object(ComposeFile.map(compose.service(spring.module()).get("depends_on")).get("kafka-acls")))
                    .as("%s waits for the ACLs", spring.module()).containsEntry("condition", "service_completed_successfully");
        }
    }

    /**
     * Every service talks to Kafka as its own principal (its name, which the ACLs name), with the password of its own
     * secret volume, which no other service mounts.
     */
    @Test
    void everyServiceAuthenticatesToKafkaWithItsOwnScramPrincipalAndOnlyItsOwnPassword() {
        Set<String> principals = KafkaFiles.acls().stream().map(KafkaFiles.Acl::principal).collect(java.util.stream.Collectors.toSet());
        for (SpringService spring : Repo.springServices()) {
            Map<String, Object> service = compose.service(spring.module());
            Map<String, String> environment = ComposeFile.environment(service);
            assertThat(environment).as("%s: Kafka client settings", spring.module())
                    .containsEntry("SPRING_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
                    .containsEntry("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512");
            // raw file text: $$ is compose's escape, so the service gets the placeholders and Spring resolves them
            assertThat(environment.get("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG")).as("%s: JAAS", spring.module())
                    .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required "
                            + "username=\"$${spring.application.name}\" password=\"$${KAFKA_PASSWORD}\";");
            assertThat(Repo.applicationName(spring.module())).as("%s: spring.application.name, its Kafka principal", spring.module())
                    .isEqualTo(spring.module());
            assertThat(principals).as("acls.txt grants %s something", spring.module()).contains(spring.module());
            assertThat(List.of(environment.get("SPRING_CONFIG_IMPORT").split(","))).as("%s: SPRING_CONFIG_IMPORT", spring.module())
                    .contains("configtree:/run/secrets/choreo-kafka/", "configtree:/run/secrets/choreo-http/");
            List<String> kafkaSecrets = ComposeFile.strings(service.get("volumes")).stream()
                    .filter(mount -> mount.startsWith("choreo-kafka-")).toList();
            assertThat(kafkaSecrets).as("%s: its own Kafka password, nobody else's", spring.module())
                    .containsExactly("choreo-kafka-" + spring.module() + ":/run/secrets/choreo-kafka:ro");
            assertThat(ComposeFile.strings(service.get("volumes"))).as("%s: the HTTP users' passwords", spring.module())
                    .contains("choreo-http-secrets:/run/secrets/choreo-http:ro");
            assertThat(ComposeFile.map(service.get("depends_on"))).containsKey("secrets");
            // who else mounts this principal's volume: the generator and the broker (SCRAM users at format time)
            compose.services().forEach((name, other) -> {
                if (!name.equals(spring.module()) && !name.equals("secrets") && !name.equals("kafka")) {
                    assertThat(ComposeFile.strings(other.get("volumes"))).as("%s mounts the Kafka password of %s", name, spring.module())
                            .noneMatch(mount -> mount.startsWith("choreo-kafka-" + spring.module() + ":"));
                }
            });
            assertThat(ComposeFile.strings(compose.service("kafka").get("volumes")))
                    .contains("choreo-kafka-" + spring.module() + ":/run/secrets/choreo-kafka-" + spring.module() + ":ro");
        }
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
                if (value != null && value.contains("password=")) {
                    assertThat(value).as("%s: %s names a password only as a placeholder", name, key)
                            .doesNotContainPattern("password=\"(?!\\$\\$\\{)");
                }
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
        String advertised = KafkaFiles.serverProperties().getProperty("advertised.listeners");
        String internalName = KafkaFiles.serverProperties().getProperty("inter.broker.listener.name");
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
