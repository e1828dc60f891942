package dev.choreo.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/** Files of the repository the tests read: the root's compose file and Dockerfile, this module's configuration. */
final class Repo {

    static final Path ROOT = locateRoot();
    static final Path OBSERVABILITY = ROOT.resolve("observability");
    static final Path COMPOSE_FILE = ROOT.resolve("docker-compose.yml");
    static final Path DOCKERFILE = ROOT.resolve("Dockerfile");
    static final Path DOCKERIGNORE = ROOT.resolve(".dockerignore");
    static final Path PROMETHEUS_CONFIG = OBSERVABILITY.resolve("prometheus/prometheus.yml");
    static final Path DASHBOARDS = OBSERVABILITY.resolve("grafana/dashboards");
    static final Path GRAFANA_PROVISIONING = OBSERVABILITY.resolve("grafana/provisioning");
    static final Path AGENT_PROPERTIES = OBSERVABILITY.resolve("otel/agent.properties");
    static final Path POSTGRES_INIT = OBSERVABILITY.resolve("postgres/init-databases.sh");
    static final Path KAFKA_DIR = OBSERVABILITY.resolve("kafka");

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern DB_NAME_DEFAULT = Pattern.compile("\\$\\{DB_NAME:([a-z0-9_]+)}");

    private Repo() {
    }

    /**
     * The runnable Spring Boot services of the suite: the root pom's modules with an {@code application.yml} that
     * sets {@code server.port}. Each must run in docker compose and be scraped by Prometheus.
     */
    static List<SpringService> springServices() {
        return modules().stream()
                .map(module -> ROOT.resolve(module).resolve("src/main/resources/application.yml"))
                .filter(Files::isRegularFile)
                .map(Repo::springService)
                .filter(service -> service.port() > 0)
                .toList();
    }

    /** The module's {@code spring.application.name} (its consumer group, its Kafka principal), or null. */
    @SuppressWarnings("unchecked")
    static String applicationName(String module) {
        Map<String, Object> yaml = new Yaml().load(read(ROOT.resolve(module).resolve("src/main/resources/application.yml")));
        Map<String, Object> spring = (Map<String, Object>) yaml.getOrDefault("spring", Map.of());
        Map<String, Object> application = (Map<String, Object>) spring.getOrDefault("application", Map.of());
        return application.get("name") == null ? null : String.valueOf(application.get("name"));
    }

    static List<String> modules() {
        Matcher module = MODULE.matcher(read(ROOT.resolve("pom.xml")));
        List<String> modules = new java.util.ArrayList<>();
        while (module.find()) {
            modules.add(module.group(1).trim());
        }
        return modules;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> dashboardFiles() {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static SpringService springService(Path applicationYml) {
        String text = read(applicationYml);
        Map<String, Object> yaml = new Yaml().load(text);
        String module = applicationYml.getParent().getParent().getParent().getParent().getFileName().toString();
        Map<String, Object> server = (Map<String, Object>) yaml.getOrDefault("server", Map.of());
        int port = server.get("port") instanceof Integer value ? value : -1;
        Matcher dbName = DB_NAME_DEFAULT.matcher(text);
        return new SpringService(module, port, dbName.find() ? dbName.group(1) : null);
    }

    private static Path locateRoot() {
        String configured = System.getProperty("choreo.repo.dir");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isDirectory(dir.resolve("observability"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No choreo repository above " + start);
    }

    /**
     * @param module   the Maven module and compose service name, also {@code spring.application.name}
     * @param port     its {@code server.port}
     * @param database the default of its {@code DB_NAME} placeholder, or null when it has no database
     */
    record SpringService(String module, int port, String database) {
    }
}
