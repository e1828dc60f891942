package dev.choreo.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * observability/kafka/acls.txt on its own (KafkaSecurityTest proves the broker enforces it): its principals are the
 * ones compose gives a password, a service writes the dead-letter topic of exactly the topics it reads, each uses
 * only its own consumer group, and nothing is granted by wildcard or to a super user.
 */
class KafkaAclsFileTest {

    private static final List<String> SUITE_TOPICS = Stream.of("order-events", "inventory-events", "payment-events",
            "shipping-events", "notification-events", "operations-events", "product-catalogue")
            .flatMap(topic -> Stream.of(topic, topic + ".DLT")).toList();

    private final List<KafkaFiles.Acl> acls = KafkaFiles.acls();

    @Test
    void thePrincipalsAreThoseComposeGivesAKafkaPassword() {
        Set<String> principals = acls.stream().map(KafkaFiles.Acl::principal).collect(Collectors.toCollection(TreeSet::new));
        Set<String> withAPassword = ComposeFile.strings(ComposeFile.load().service("secrets").get("volumes")).stream()
                .map(mount -> mount.substring(0, mount.indexOf(':')))
                .filter(volume -> volume.startsWith("choreo-kafka-") && !volume.equals("choreo-kafka-admin"))
                .map(volume -> volume.substring("choreo-kafka-".length()))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(principals).isEqualTo(withAPassword);
        assertThat(principals).doesNotContain("admin", "controller", "ANONYMOUS", "*");
    }

    @Test
    void nothingIsGrantedByWildcardOrPrefixAndOnlyTheSuitesTopics() {
        assertThat(acls).allSatisfy(acl -> {
            assertThat(acl.patternType()).as("%s", acl).isEqualTo(PatternType.LITERAL);
            assertThat(acl.name()).as("%s", acl).isNotEqualTo("*");
            assertThat(acl.operation()).as("%s", acl).isIn(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
                    AclOperation.DESCRIBE);
            if (acl.resourceType() == ResourceType.TOPIC) {
                assertThat(SUITE_TOPICS).as("%s: a topic of the suite", acl).contains(acl.name());
            }
        });
    }

    @Test
    void aServiceWritesTheDeadLetterTopicOfExactlyTheTopicsItReads() {
        for (String principal : principals()) {
            if (principal.equals("tracing-collector")) {
                continue; // it reads the dead-letter topics too, and dead-letters nothing
            }
            Set<String> reads = names(principal, AclOperation.READ, ResourceType.TOPIC);
            Set<String> deadLetters = names(principal, AclOperation.WRITE, ResourceType.TOPIC).stream()
                    .filter(topic -> topic.endsWith(".DLT")).map(topic -> topic.substring(0, topic.length() - 4))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(deadLetters).as("%s: dead-letter topics it writes", principal).isEqualTo(reads);
            assertThat(reads).as("%s reads no dead-letter topic", principal).noneMatch(topic -> topic.endsWith(".DLT"));
        }
    }

    @Test
    void eachPrincipalUsesOnlyItsOwnConsumerGroupAndOnlyTheCollectorDescribesOthers() {
        for (String principal : principals()) {
            Set<String> groups = names(principal, AclOperation.READ, ResourceType.GROUP);
            if (principal.equals("tracing-collector")) {
                assertThat(groups).containsExactlyInAnyOrder("tracing-collector", "tracing-collector-redrive");
                assertThat(names(principal, AclOperation.DESCRIBE, ResourceType.GROUP))
                        .as("the services' groups, for its diagnosis").isEqualTo(new TreeSet<>(principals()).stream()
                                .filter(name -> !name.equals("tracing-collector")).collect(Collectors.toSet()));
            } else {
                assertThat(groups).as("%s: consumer groups", principal).containsExactly(principal);
                assertThat(names(principal, AclOperation.DESCRIBE, ResourceType.GROUP)).isEmpty();
            }
        }
    }

    @Test
    void everyTopicIsWrittenByExactlyOneServiceBesidesItsDeadLetters() {
        // the collector's writes to the process topics are the operator's re-drives, checked below
        Map<String, Set<String>> writers = acls.stream()
                .filter(acl -> acl.operation() == AclOperation.WRITE && !acl.name().endsWith(".DLT"))
                .filter(acl -> !acl.principal().equals("tracing-collector") || acl.name().equals("operations-events"))
                .collect(Collectors.groupingBy(KafkaFiles.Acl::name,
                        Collectors.mapping(KafkaFiles.Acl::principal, Collectors.toSet())));
        assertThat(writers).allSatisfy((topic, principals) -> assertThat(principals).as("writers of %s", topic).hasSize(1));
        assertThat(writers.keySet()).containsExactlyInAnyOrderElementsOf(
                SUITE_TOPICS.stream().filter(topic -> !topic.endsWith(".DLT")).toList());
    }

    /** The init step stops at a line it cannot read (the services then never start) instead of skipping it. */
    @Test
    void theInitStepRefusesAMalformedLine(@TempDir Path work) throws Exception {
        Files.createDirectories(work.resolve("secrets/choreo-kafka-admin"));
        Files.writeString(work.resolve("secrets/choreo-kafka-admin/admin-password"), "pw");
        Path acls = work.resolve("acls.txt");
        Files.writeString(acls, "# a comment\norder-service  Write  topic  order-events\n");
        Path calls = work.resolve("calls");
        Path stub = work.resolve("kafka-acls.sh");
        Files.writeString(stub, "#!/bin/sh\necho \"$@\" >> '" + calls + "'\n");
        stub.toFile().setExecutable(true);
        Result result = sh(Repo.KAFKA_DIR.resolve("apply-acls.sh"), Map.of("SECRETS_ROOT", work.resolve("secrets").toString(),
                "CHOREO_KAFKA_ACLS", acls.toString(), "KAFKA_ACLS_COMMAND", stub.toString(),
                "CHOREO_KAFKA_CLIENT_CONFIG", work.resolve("client.properties").toString()));
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("line 2: expected 5 columns");
        assertThat(calls).doesNotExist();
    }

    /** The broker does not start without its passwords (the secrets container did not run). */
    @Test
    void theBrokerEntrypointRefusesToStartWithoutTheGeneratedPasswords(@TempDir Path work) throws Exception {
        Files.createDirectories(work.resolve("secrets/choreo-kafka-admin"));
        Result result = sh(Repo.KAFKA_DIR.resolve("start-kafka.sh"), Map.of("SECRETS_ROOT", work.resolve("secrets").toString(),
                "KAFKA_HOME", work.resolve("kafka").toString(), "CLUSTER_ID", "Kn9HZD9sR0KU4VI17TllNw",
                "CHOREO_KAFKA_TEMPLATE", Repo.KAFKA_DIR.resolve("server.properties").toString(),
                "CHOREO_KAFKA_CONFIG", work.resolve("server.properties").toString(),
                "CHOREO_KAFKA_CLIENT_CONFIG", work.resolve("client.properties").toString()));
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("missing secret").contains("admin-password");
    }

    private record Result(int exitCode, String output) {
    }

    private static Result sh(Path script, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private Set<String> principals() {
        return acls.stream().map(KafkaFiles.Acl::principal).collect(Collectors.toCollection(TreeSet::new));
    }

    private Set<String> names(String principal, AclOperation operation, ResourceType type) {
        return acls.stream().filter(acl -> acl.principal().equals(principal) && acl.operation() == operation
                && acl.resourceType() == type).map(KafkaFiles.Acl::name).collect(Collectors.toCollection(TreeSet::new));
    }
}
