package dev.choreo.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import dev.choreo.localsuite.ChoreoService;
import dev.choreo.localsuite.PostgresDatabases;
import dev.choreo.localsuite.RepoLayout;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.tools.AclCommand;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 15, Kafka: a real broker (KRaft, in this JVM) started the way compose starts it, then every principal tried
 * against it.
 *
 * <ul>
 *   <li>the passwords come from the compose secrets container's script (observability/secrets/generate-secrets.sh,
 *       run on the directories compose mounts into it);</li>
 *   <li>the broker's configuration is the one observability/kafka/start-kafka.sh renders from
 *       observability/kafka/server.properties (only the listeners' host and ports and the log directory are moved
 *       to this machine), and its storage is formatted with the SCRAM users start-kafka.sh asks for (the script runs
 *       with stubs for kafka-storage.sh and kafka-server-start.sh, which record their arguments);</li>
 *   <li>the ACLs are those observability/kafka/apply-acls.sh asks kafka-acls.sh for, from acls.txt, applied by the
 *       real tool (kafka-acls.sh's AclCommand, in this JVM);</li>
 *   <li>the services' client settings are those of docker-compose.yml, with the placeholders Spring resolves there.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaSecurityTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String SCRAM = "org.apache.kafka.common.security.scram.ScramLoginModule";

    /** The suite's topics (shared-events Topics): process topics, their dead-letter topics, the catalogue. */
    private static final List<String> EVENT_TOPICS = List.of("order-events", "inventory-events", "payment-events",
            "shipping-events", "notification-events", "operations-events");
    private static final List<String> SUITE_TOPICS = Stream.concat(EVENT_TOPICS.stream(), Stream.of("product-catalogue"))
            .flatMap(topic -> Stream.of(topic, topic + ".DLT")).toList();
    /** Who owns (alone may write) each topic, as shared-events' EventCatalog declares the producers. */
    private static final Map<String, String> OWNERS = Map.of(
            "order-events", "order-service",
            "inventory-events", "inventory-service",
            "product-catalogue", "inventory-service",
            "payment-events", "payment-service",
            "shipping-events", "shipping-service",
            "notification-events", "notification-service",
            "operations-events", "tracing-collector");
    private static final List<String> SERVICES = List.of("order-service", "inventory-service", "payment-service",
            "shipping-service", "notification-service");

    private Path work;
    private Path secrets;
    private KafkaRaftServer server;
    /** The EXTERNAL listener, moved to this machine (the host's localhost:9092 in compose). */
    private String bootstrap;
    private Path renderedClientConfig;
    /** The INTERNAL listener, moved to this machine (kafka:19092, the services' in compose). */
    private String internalBootstrap;

    @BeforeAll
    void startTheBrokerAsComposeDoes() throws Exception {
        work = Files.createTempDirectory(Repo.OBSERVABILITY.resolve("target"), "kafka-security-");
        secrets = work.resolve("secrets");
        SecretsScriptTest.createComposeMounts(secrets);
        SecretsScriptTest.run(secrets);

        // start-kafka.sh, with the two bin/ scripts of the image replaced by recorders
        Path kafkaHome = work.resolve("kafka-home");
        Path records = work.resolve("records");
        Files.createDirectories(records);
        recorder(kafkaHome.resolve("bin/kafka-storage.sh"), records.resolve("kafka-storage"));
        recorder(kafkaHome.resolve("bin/kafka-server-start.sh"), records.resolve("kafka-server-start"));
        Path rendered = work.resolve("choreo-server.properties");
        renderedClientConfig = work.resolve("admin-client.properties");
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SECRETS_ROOT", secrets.toString());
        environment.put("KAFKA_HOME", kafkaHome.toString());
        environment.put("CHOREO_KAFKA_TEMPLATE", Repo.KAFKA_DIR.resolve("server.properties").toString());
        environment.put("CHOREO_KAFKA_CONFIG", rendered.toString());
        environment.put("CHOREO_KAFKA_CLIENT_CONFIG", renderedClientConfig.toString());
        environment.put("CLUSTER_ID", ComposeFile.environment(ComposeFile.load().service("kafka")).get("CLUSTER_ID"));
        sh(Repo.KAFKA_DIR.resolve("start-kafka.sh"), environment);
        assertThat(recorded(records.resolve("kafka-server-start"))).containsExactly(List.of(rendered.toString()));

        // the rendered configuration with this machine's ports and a temporary log directory
        Properties config = load(rendered);
        Map<String, Integer> ports = new LinkedHashMap<>();
        List<String> listeners = new ArrayList<>();
        for (String listener : config.getProperty("listeners").split(",")) {
            String name = listener.substring(0, listener.indexOf("://"));
            ports.put(name, PrometheusServer.freePort());
            listeners.add(name + "://127.0.0.1:" + ports.get(name));
        }
        List<String> advertised = new ArrayList<>();
        for (String listener : config.getProperty("advertised.listeners").split(",")) {
            String name = listener.substring(0, listener.indexOf("://"));
            advertised.add(name + "://127.0.0.1:" + ports.get(name));
        }
        String controller = config.getProperty("controller.listener.names");
        config.setProperty("listeners", String.join(",", listeners));
        config.setProperty("advertised.listeners", String.join(",", advertised));
        config.setProperty("controller.quorum.voters", config.getProperty("node.id") + "@127.0.0.1:" + ports.get(controller));
        config.setProperty("log.dirs", work.resolve("data").toString());
        // fewer internal partitions than the defaults (50): quicker on a small machine; nothing about security
        config.setProperty("offsets.topic.num.partitions", "1");
        config.setProperty("transaction.state.log.num.partitions", "1");
        Path local = work.resolve("local-server.properties");
        try (Writer out = Files.newBufferedWriter(local)) {
            config.store(out, "start-kafka.sh's rendering, moved to this machine");
        }
        bootstrap = "127.0.0.1:" + ports.get("EXTERNAL");
        internalBootstrap = "127.0.0.1:" + ports.get(config.getProperty("inter.broker.listener.name"));

        // the storage formatted with exactly what start-kafka.sh asked kafka-storage.sh for
        List<List<String>> formats = recorded(records.resolve("kafka-storage"));
        assertThat(formats).hasSize(1);
        List<String> format = new ArrayList<>(formats.get(0));
        assertThat(format).startsWith("format").contains("--ignore-formatted");
        format.set(format.indexOf("--config") + 1, local.toString());
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            assertThat(StorageTool.execute(format.toArray(String[]::new), out)).as("kafka-storage format: %s", output).isZero();
        }

        long started = System.nanoTime();
        server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        server.startup();
        System.out.printf("KafkaSecurityTest: broker up in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        started = System.nanoTime();

        // the ACLs: apply-acls.sh, with kafka-acls.sh replaced by a recorder, then each recorded run by the real tool
        Path aclRuns = records.resolve("kafka-acls");
        recorder(work.resolve("kafka-acls.sh"), aclRuns);
        environment = new LinkedHashMap<>();
        environment.put("SECRETS_ROOT", secrets.toString());
        environment.put("CHOREO_KAFKA_ACLS", Repo.KAFKA_DIR.resolve("acls.txt").toString());
        environment.put("KAFKA_ACLS_COMMAND", work.resolve("kafka-acls.sh").toString());
        environment.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        environment.put("CHOREO_KAFKA_CLIENT_CONFIG", work.resolve("acls-client.properties").toString());
        sh(Repo.KAFKA_DIR.resolve("apply-acls.sh"), environment);
        List<List<String>> runs = recorded(aclRuns);
        assertThat(runs).isNotEmpty();
        Exit.setExitProcedure((code, message) -> {
            if (code != 0) {
                throw new IllegalStateException("kafka-acls.sh exited with " + code + ": " + message);
            }
        });
        // a few at a time (each is a short-lived admin client); the tool keeps no state between runs
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> applied = new ArrayList<>();
            for (List<String> run : runs) {
                applied.add(pool.submit(() -> AclCommand.main(run.toArray(String[]::new))));
            }
            for (Future<?> run : applied) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            Exit.resetExitProcedure();
        }
        System.out.printf("KafkaSecurityTest: %d kafka-acls.sh runs in %d ms%n", runs.size(), (System.nanoTime() - started) / 1_000_000);

        // the services create the topics (as the starter's TopicReadiness does at start; one partition each here:
        // the ACLs do not depend on the count, and the broker is quicker to start and to read)
        try (Admin admin = Admin.create(client("order-service"))) {
            admin.createTopics(SUITE_TOPICS.stream().map(topic -> new NewTopic(topic, 1, (short) 1)).toList())
                    .all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @AfterAll
    void stop() throws IOException {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    @Test
    void theBrokerHoldsExactlyTheAclsDeclaredInTheFile() throws Exception {
        Set<AclBinding> declared = KafkaFiles.acls().stream().map(KafkaFiles.Acl::binding).collect(Collectors.toSet());
        try (Admin admin = Admin.create(client("admin"))) {
            Set<AclBinding> onTheBroker = new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            assertThat(onTheBroker).containsExactlyInAnyOrderElementsOf(declared);
        }
    }

    /** The example: payment-service cannot write order-events; it writes its own topic, reads what it consumes. */
    @Test
    void paymentServiceCannotWriteOrderEventsButWritesItsOwnTopicAndReadsWhatItConsumes() throws Exception {
        try (KafkaProducer<String, String> payment = producer("payment-service")) {
            assertThat(sendFailure(payment, "order-events")).isInstanceOf(TopicAuthorizationException.class);
            assertThat(sendFailure(payment, "payment-events")).as("its own topic").isNull();
            assertThat(sendFailure(payment, "order-events.DLT")).as("the dead letters of a topic it consumes").isNull();
            assertThat(sendFailure(payment, "notification-events.DLT")).as("a topic it does not consume")
                    .isInstanceOf(TopicAuthorizationException.class);
        }
        String key = "ord-" + UUID.randomUUID();
        try (KafkaProducer<String, String> order = producer("order-service")) {
            order.send(new ProducerRecord<>("order-events", key, "{\"placed\":true}")).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        // as its consumer group (it joins, fetches, commits)
        try (KafkaConsumer<String, String> consumer = consumer("payment-service", "payment-service")) {
            consumer.subscribe(List.of("order-events"));
            assertThat(pollUntilKey(consumer, key)).isTrue();
            consumer.commitSync(TIMEOUT);
        }
        try (KafkaConsumer<String, String> consumer = consumer("payment-service", "payment-service")) {
            consumer.assign(List.of(new TopicPartition("notification-events", 0)));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(5))).as("a topic it does not consume")
                    .isInstanceOf(TopicAuthorizationException.class);
        }
        try (KafkaConsumer<String, String> consumer = consumer("payment-service", "order-service")) {
            consumer.subscribe(List.of("order-events"));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(5))).as("another service's group")
                    .isInstanceOf(GroupAuthorizationException.class);
        }
    }

    /**
     * Every service against every event topic: only the owner writes (whatever the file says, it must say this). The
     * collector, which also writes them for the operator's re-drives, is checked in its own test.
     */
    @Test
    void onlyTheOwnerOfAnEventTopicWritesIt() throws Exception {
        for (String principal : SERVICES) {
            try (KafkaProducer<String, String> producer = producer(principal)) {
                for (Map.Entry<String, String> owned : OWNERS.entrySet()) {
                    Throwable failure = sendFailure(producer, owned.getKey());
                    if (owned.getValue().equals(principal)) {
                        assertThat(failure).as("%s writes its %s", principal, owned.getKey()).isNull();
                    } else {
                        assertThat(failure).as("%s writes %s of %s", principal, owned.getKey(), owned.getValue())
                                .isInstanceOf(TopicAuthorizationException.class);
                    }
                }
            }
        }
    }

    /**
     * What the starter's TopicReadiness asks at every start, as each service: create the suite's topics (they exist:
     * TopicExists, not an authorization failure), describe them and list their end offsets. Otherwise the service
     * would never get ready nor send its outbox.
     */
    @Test
    void everyServiceCanRunTheStartersTopicReadinessCheck() throws Exception {
        for (String service : SERVICES) {
            try (Admin admin = Admin.create(client(service))) {
                for (var result : admin.createTopics(SUITE_TOPICS.stream().map(topic -> new NewTopic(topic, 6, (short) 1)).toList())
                        .values().entrySet()) {
                    Throwable failure = catchThrowable(() -> result.getValue().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
                    assertThat(failure).as("%s creates %s", service, result.getKey()).isInstanceOf(ExecutionException.class)
                            .hasCauseInstanceOf(TopicExistsException.class);
                }
                Map<String, TopicDescription> described = admin.describeTopics(SUITE_TOPICS).allTopicNames()
                        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertThat(described).as("%s describes the suite's topics", service).containsOnlyKeys(SUITE_TOPICS);
                Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                described.values().forEach(topic -> topic.partitions().forEach(partition ->
                        ends.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
                assertThat(admin.listOffsets(ends).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).hasSize(ends.size())
                        .hasSizeGreaterThanOrEqualTo(SUITE_TOPICS.size());
            }
        }
    }

    /** The collector reads every process and dead-letter topic with its pattern, writes only operations-events. */
    @Test
    void theCollectorReadsEverythingAndWritesOnlyTheOperationsTopic() throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String topic : EVENT_TOPICS) {
            String owner = OWNERS.get(topic);
            try (KafkaProducer<String, String> producer = producer(owner)) {
                String key = "ord-" + UUID.randomUUID();
                producer.send(new ProducerRecord<>(topic, key, "{}")).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                keys.put(topic, key);
            }
        }
        try (KafkaProducer<String, String> inventory = producer("inventory-service")) {
            String key = "ord-" + UUID.randomUUID();
            inventory.send(new ProducerRecord<>("order-events.DLT", key, "poison")).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            keys.put("order-events.DLT", key);
        }
        // the collector's subscription (tracing-collector application.yml: choreo.collector.topic-pattern), its group
        String pattern = ".+-events(\\.DLT)?";
        try (KafkaConsumer<String, String> collector = consumer("tracing-collector", "tracing-collector")) {
            collector.subscribe(Pattern.compile(pattern));
            Set<String> seen = new HashSet<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!seen.containsAll(keys.values()) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : collector.poll(Duration.ofMillis(200))) {
                    seen.add(record.key());
                }
            }
            assertThat(seen).as("read by the collector from %s", keys.keySet()).containsAll(keys.values());
            assertThat(collector.assignment().stream().map(TopicPartition::topic).collect(Collectors.toSet()))
                    .as("every process topic and dead-letter topic")
                    .containsExactlyInAnyOrderElementsOf(SUITE_TOPICS.stream().filter(topic -> topic.matches(pattern)).toList());
        }
        try (KafkaProducer<String, String> collector = producer("tracing-collector")) {
            // the operations topic, and the process topics an operator's re-drive re-publishes to
            Set<String> writable = Set.of("operations-events", "order-events", "inventory-events", "payment-events",
                    "shipping-events", "notification-events");
            for (String topic : SUITE_TOPICS) {
                if (writable.contains(topic)) {
                    assertThat(sendFailure(collector, topic)).as("the collector writes %s", topic).isNull();
                } else {
                    assertThat(sendFailure(collector, topic)).as("the collector writes %s", topic)
                            .isInstanceOf(TopicAuthorizationException.class);
                }
            }
        }
        // its diagnosis: the services' groups, their members and committed offsets (payment-service commits one)
        try (KafkaConsumer<String, String> payment = consumer("payment-service", "payment-service")) {
            TopicPartition partition = new TopicPartition("order-events", 0);
            payment.assign(List.of(partition));
            payment.commitSync(Map.of(partition, new OffsetAndMetadata(0)), TIMEOUT);
        }
        try (Admin admin = Admin.create(client("tracing-collector"))) {
            for (var group : admin.describeConsumerGroups(SERVICES).describedGroups().entrySet()) {
                // a group that never committed is "not found" (the collector reads that as NOT_FOUND), never "denied"
                Throwable failure = catchThrowable(() -> group.getValue().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
                assertThat(failure).as("the collector describes group %s", group.getKey())
                        .satisfiesAnyOf(none -> assertThat(none).isNull(),
                                notFound -> assertThat(notFound).hasCauseInstanceOf(GroupIdNotFoundException.class));
            }
            assertThat(admin.describeConsumerGroups(List.of("payment-service")).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .containsKey("payment-service");
            assertThat(admin.listConsumerGroupOffsets("payment-service").partitionsToOffsetAndMetadata()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).containsKey(new TopicPartition("order-events", 0));
        }
        try (Admin payment = Admin.create(client("payment-service"))) {
            assertThat(catchThrowable(() -> payment.describeConsumerGroups(List.of("order-service")).all()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))).as("a service describing another's group")
                    .hasCauseInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void aClientWithoutValidCredentialsCannotConnect() throws Exception {
        // PLAINTEXT against a SASL listener: the broker never answers a request without authentication
        Properties plaintext = new Properties();
        plaintext.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        plaintext.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2500");
        plaintext.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "1500");
        try (Admin admin = Admin.create(plaintext)) {
            assertThat(catchThrowable(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))).as("PLAINTEXT client")
                    .isNotNull();
        }
        assertThat(authenticationFailure("payment-service", "wrong-password", "SCRAM-SHA-512"))
                .as("wrong password").isInstanceOf(SaslAuthenticationException.class);
        assertThat(authenticationFailure("nobody", "whatever", "SCRAM-SHA-512"))
                .as("unknown user").isInstanceOf(SaslAuthenticationException.class);
        // the controller's PLAIN user is not accepted on a client listener
        assertThat(authenticationFailure("controller", read(secrets.resolve("choreo-kafka-admin/controller-password")), "PLAIN"))
                .as("PLAIN on a client listener").isInstanceOf(UnsupportedSaslMechanismException.class);
    }

    /** The clients of compose: each service's settings (placeholders resolved as Spring does), the healthcheck's. */
    @Test
    void theClientSettingsOfComposeAuthenticateAsTheirPrincipal() throws Exception {
        ComposeFile compose = ComposeFile.load();
        Map<String, String> environment = ComposeFile.environment(compose.service("payment-service"));
        Properties payment = new Properties();
        payment.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        payment.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, environment.get("SPRING_KAFKA_PROPERTIES_SECURITY_PROTOCOL"));
        payment.put(SaslConfigs.SASL_MECHANISM, environment.get("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM"));
        // compose turns $$ into $; Spring resolves the application name and the configtree file KAFKA_PASSWORD
        payment.put(SaslConfigs.SASL_JAAS_CONFIG, environment.get("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG")
                .replace("$${spring.application.name}", Repo.applicationName("payment-service"))
                .replace("$${KAFKA_PASSWORD}", read(secrets.resolve("choreo-kafka-payment-service/KAFKA_PASSWORD"))));
        payment.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        payment.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        payment.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(payment)) {
            assertThat(sendFailure(producer, "payment-events")).as("compose's payment-service writes its topic").isNull();
            assertThat(sendFailure(producer, "order-events")).isInstanceOf(TopicAuthorizationException.class);
        }
        // the healthcheck's and the operators' admin settings, written by start-kafka.sh
        Properties admin = load(renderedClientConfig);
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin client = Admin.create(admin)) {
            assertThat(client.describeAcls(AclBindingFilter.ANY).values().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("admin is a super user").isNotEmpty();
        }
    }

    /**
     * observability/README.md's kcat command for the host: as admin, with SCRAM. librdkafka before 2.6.1 (kcat 1.7.1
     * of Debian 12 has 2.0.2) fails SCRAM against Kafka 4 brokers with "invalid credentials" (edenhill/kcat#462): the
     * README says so, and this test then only checks that it does.
     */
    @Test
    void kcatFromTheHostAuthenticatesAsAdmin() throws Exception {
        Path kcat = Tools.require("kcat", "apt-get install -y --no-install-recommends kcat", "/usr/bin/kcat");
        String readme = Repo.read(Repo.OBSERVABILITY.resolve("README.md"));
        assertThat(readme).contains("librdkafka 2.6.1", "edenhill/kcat#462");
        assertThat(readme).contains("kcat -b localhost:9092 -X security.protocol=SASL_PLAINTEXT -X sasl.mechanisms=SCRAM-SHA-512 "
                + "-X sasl.username=admin -X sasl.password=\"$(docker compose exec -T kafka cat /run/secrets/choreo-kafka-admin/admin-password)\" -L");
        boolean old = librdkafkaBefore261(kcat);
        Process process = new ProcessBuilder(kcat.toString(), "-b", bootstrap, "-X", "security.protocol=SASL_PLAINTEXT",
                "-X", "sasl.mechanisms=SCRAM-SHA-512", "-X", "sasl.username=admin",
                "-X", "sasl.password=" + read(secrets.resolve("choreo-kafka-admin/admin-password")), "-L", "-m", old ? "2" : "10")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        if (old) {
            assertThat(output).as("kcat with librdkafka < 2.6.1 (edenhill/kcat#462)").contains("invalid credentials");
            org.junit.jupiter.api.Assumptions.abort("kcat's librdkafka is older than 2.6.1, which cannot authenticate with "
                    + "SCRAM to a Kafka 4 broker (edenhill/kcat#462); the README says so");
        }
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("topic \"order-events\"");
    }

    /**
     * The real services and the collector (their exec jars) with the environment compose gives each (the Kafka client
     * settings with Spring's placeholders, the configtree import of its own Kafka password), against this broker: each
     * gets ready under its ACLs (the starter's topic check, its consumer group joined, inventory publishing the
     * catalogue, order-service reading it, the collector reading every topic to its end), an order goes through the
     * whole flow to COMPLETED, each group has a member, and no log shows an authorization or authentication failure. Long: six services start for minutes on a busy
     * machine.
     */
    @Test
    @Tag("long")
    void theRealServicesGetReadyWithComposesSettingsUnderTheirAcls() throws Exception {
        RepoLayout repo = new RepoLayout(Repo.ROOT);
        repo.requireBuilt(List.of(ChoreoService.values()));
        PostgresDatabases postgres = PostgresDatabases.fromEnvironment();
        Map<String, Repo.SpringService> springServices = new LinkedHashMap<>();
        Repo.springServices().forEach(spring -> springServices.put(spring.module(), spring));
        // the database password as compose gives it (a configtree file), for this machine's PostgreSQL
        Path db = Files.createDirectories(work.resolve("db-secret"));
        Files.writeString(db.resolve("DB_PASSWORD"), postgres.password());
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> databases = new ArrayList<>();
        Map<String, Process> processes = new LinkedHashMap<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        try {
            for (ChoreoService choreo : ChoreoService.values()) {
                String module = choreo.moduleName();
                Map<String, String> environment = new LinkedHashMap<>();
                ComposeFile.environment(ComposeFile.load().service(module)).forEach((key, value) -> {
                    if (!key.startsWith("OTEL_") && !key.equals("JAVA_OPTS")) {
                        environment.put(key, value.replace("$$", "$")); // compose's escape
                    }
                });
                environment.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", internalBootstrap);
                Repo.SpringService spring = springServices.get(module);
                if (spring != null && spring.database() != null) {
                    String database = "kafka_security_" + spring.database() + "_" + run;
                    postgres.create(database);
                    databases.add(database);
                    String hostAndPort = postgres.jdbcUrl(database).replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");
                    environment.put("DB_HOST", hostAndPort.substring(0, hostAndPort.lastIndexOf(':')));
                    environment.put("DB_PORT", hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
                    environment.put("DB_NAME", database);
                    environment.put("DB_USER", postgres.username());
                }
                // compose mounts its own Kafka volume at /run/secrets/choreo-kafka, the HTTP users' at /run/secrets/choreo-http
                environment.put("SPRING_CONFIG_IMPORT", environment.get("SPRING_CONFIG_IMPORT")
                        .replace("/run/secrets/choreo-db/", db + "/")
                        .replace("/run/secrets/choreo-kafka/", secrets.resolve("choreo-kafka-" + module) + "/")
                        .replace("/run/secrets/choreo-http/", secrets.resolve("choreo-http") + "/"));
                int port = PrometheusServer.freePort();
                ports.put(module, port);
                ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", repo.execJar(choreo).toString(),
                        "--server.port=" + port,
                        // the topics of this broker have one partition (see the set-up)
                        "--choreo.messaging.partitions=1", "--choreo.collector.operations-topic.partitions=1")
                        .redirectErrorStream(true).redirectOutput(work.resolve(module + ".log").toFile());
                builder.environment().putAll(environment);
                processes.put(module, builder.start());
            }
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            for (Map.Entry<String, Process> service : processes.entrySet()) {
                java.net.http.HttpRequest readiness = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + ports.get(service.getKey()) + "/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(5)).build();
                Awaitility.await(service.getKey() + " ready").atMost(Duration.ofSeconds(420))
                        .pollInterval(Duration.ofMillis(500)).ignoreExceptionsInstanceOf(IOException.class)
                        .untilAsserted(() -> {
                            assertThat(service.getValue().isAlive()).as("%s alive; its log ends:%n%s",
                                    service.getKey(), logTail(work.resolve(service.getKey() + ".log"))).isTrue();
                            assertThat(http.send(readiness, java.net.http.HttpResponse.BodyHandlers.ofString())
                                    .statusCode()).isEqualTo(200);
                        });
            }
            // one order through the whole flow, placed as the HTTP user customer: every service consumes and produces
            // as its own Kafka principal
            String customer = "Basic " + java.util.Base64.getEncoder().encodeToString(("customer:"
                    + read(secrets.resolve("choreo-http/choreo.security.users.customer.password"))).getBytes(StandardCharsets.UTF_8));
            String orders = "http://127.0.0.1:" + ports.get("order-service") + "/orders";
            java.net.http.HttpRequest place = java.net.http.HttpRequest.newBuilder(java.net.URI.create(orders))
                    .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json").header("Authorization", customer)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("""
                            {"customerId": "customer", "items": [{"sku": "SKU-KEYBOARD", "quantity": 1}],
                             "paymentToken": "tok_visa",
                             "shippingAddress": {"name": "Ada Lovelace", "street": "1 Main Street", "city": "Helsinki",
                                                 "postalCode": "00100", "country": "FI"}}
                            """)).build();
            // 422 "not in the catalogue" until order-service's replica has the SKU
            java.net.http.HttpResponse<String> placed = Awaitility.await("order-service knows SKU-KEYBOARD")
                    .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> http.send(place, java.net.http.HttpResponse.BodyHandlers.ofString()),
                            answer -> answer.statusCode() != 422);
            assertThat(placed.statusCode()).as("POST /orders: %s", placed.body()).isEqualTo(201);
            String orderId = Dashboards.JSON.readTree(placed.body()).path("orderId").asString();
            java.net.http.HttpRequest get = java.net.http.HttpRequest.newBuilder(java.net.URI.create(orders + "/" + orderId))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", customer).build();
            Awaitility.await("order " + orderId + " through every service").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                        var answer = http.send(get, java.net.http.HttpResponse.BodyHandlers.ofString());
                        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                        assertThat(Dashboards.JSON.readTree(answer.body()).path("status").asString())
                                .isEqualTo("COMPLETED");
                    });

            try (Admin admin = Admin.create(client("admin"))) {
                for (String module : processes.keySet()) {
                    assertThat(admin.describeConsumerGroups(List.of(module)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                            .get(module).members()).as("consumer group %s", module).isNotEmpty();
                }
            }
            for (String module : processes.keySet()) {
                assertThat(Files.readString(work.resolve(module + ".log"))).as("%s's log", module)
                        .doesNotContain("AuthorizationException", "SaslAuthenticationException");
            }
        } finally {
            for (Process process : processes.values()) {
                process.destroy();
            }
            for (Process process : processes.values()) {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            databases.forEach(postgres::drop);
        }
    }

    private static String logTail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log).stream().filter(line -> !line.startsWith("\t")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** From {@code kcat -V}: "... librdkafka 2.0.2 builtin.features=...". */
    private static boolean librdkafkaBefore261(Path kcat) throws IOException, InterruptedException {
        Process version = new ProcessBuilder(kcat.toString(), "-V").redirectErrorStream(true).start();
        String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        version.waitFor(10, TimeUnit.SECONDS);
        java.util.regex.Matcher matcher = Pattern.compile("librdkafka (\\d+)\\.(\\d+)\\.(\\d+)").matcher(text);
        if (!matcher.find()) {
            return false;
        }
        int[] v = {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3))};
        return v[0] < 2 || (v[0] == 2 && (v[1] < 6 || (v[1] == 6 && v[2] < 1)));
    }

    private Properties client(String principal) {
        String password = principal.equals("admin") ? read(secrets.resolve("choreo-kafka-admin/admin-password"))
                : read(secrets.resolve("choreo-kafka-" + principal + "/KAFKA_PASSWORD"));
        return client(principal, password, "SCRAM-SHA-512");
    }

    private Properties client(String user, String password, String mechanism) {
        Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        properties.put(SaslConfigs.SASL_MECHANISM, mechanism);
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule" : SCRAM;
        properties.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + user + "\" password=\"" + password + "\";");
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT.toMillis()));
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return properties;
    }

    private Throwable authenticationFailure(String user, String password, String mechanism) {
        try (Admin admin = Admin.create(client(user, password, mechanism))) {
            Throwable failure = catchThrowable(() -> admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            return failure instanceof ExecutionException ? failure.getCause() : failure;
        }
    }

    private KafkaProducer<String, String> producer(String principal) {
        Properties properties = client(principal);
        properties.remove(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        // as the services: acks=all and idempotence (no transactions)
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return new KafkaProducer<>(properties);
    }

    private KafkaConsumer<String, String> consumer(String principal, String group) {
        Properties properties = client(principal);
        properties.remove(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        return new KafkaConsumer<>(properties);
    }

    /** Null if the record was written, else why not (the cause, unwrapped). */
    private static Throwable sendFailure(KafkaProducer<String, String> producer, String topic) {
        Throwable failure = catchThrowable(() -> producer.send(new ProducerRecord<>(topic, "ord-" + UUID.randomUUID(), "{}"))
                .get(30, TimeUnit.SECONDS));
        return failure instanceof ExecutionException ? failure.getCause() : failure;
    }

    private static boolean pollUntilKey(KafkaConsumer<String, String> consumer, String key) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.key().equals(key)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A stand-in for a script of the image: appends its arguments (one a line, then an empty line) to {@code record}. */
    private static void recorder(Path script, Path record) throws IOException {
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/bin/sh\nfor arg in \"$@\"; do printf '%s\\n' \"$arg\"; done >> '" + record + "'\n"
                + "echo >> '" + record + "'\n");
        script.toFile().setExecutable(true);
    }

    private static List<List<String>> recorded(Path record) throws IOException {
        List<List<String>> runs = new ArrayList<>();
        List<String> run = new ArrayList<>();
        for (String line : Files.readAllLines(record)) {
            if (line.isEmpty()) {
                runs.add(run);
                run = new ArrayList<>();
            } else {
                run.add(line);
            }
        }
        return runs;
    }

    private static void sh(Path script, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s:\n%s", script.getFileName(), output).isZero();
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static String read(Path file) {
        return Repo.read(file).strip();
    }
}
