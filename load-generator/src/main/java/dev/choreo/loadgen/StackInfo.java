package dev.choreo.loadgen;

import dev.choreo.localsuite.LocalCredentials;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

import dev.choreo.localsuite.ChoreoService;

/**
 * Where a running suite is: the Kafka bootstrap servers, each service's base URL and (when known) the pid of each
 * JVM, so the generator can sample their memory. Written by {@code stack} as a properties file; for a suite started
 * otherwise (e.g. {@code ./run-local.sh}) built from the options and found by scanning the processes. With the local
 * users' passwords the generator calls the services as the operator (it places orders for many customers).
 */
record StackInfo(String bootstrapServers, Map<String, URI> urls, Map<String, Long> pids, double readySeconds,
        LocalCredentials credentials) {

    static final String BROKER = "kafka";

    URI url(ChoreoService service) {
        URI uri = urls.get(service.moduleName());
        if (uri == null) {
            throw new IllegalStateException("No URL for " + service.moduleName());
        }
        return uri;
    }

    Optional<URI> optionalUrl(ChoreoService service) {
        return Optional.ofNullable(urls.get(service.moduleName()));
    }

    void write(Path file) {
        Properties p = new Properties();
        p.setProperty("bootstrap", bootstrapServers);
        urls.forEach((name, uri) -> p.setProperty("url." + name, uri.toString()));
        pids.forEach((name, pid) -> p.setProperty("pid." + name, Long.toString(pid)));
        p.setProperty("readySeconds", Double.toString(readySeconds));
        p.setProperty("credentials.customer", credentials.customer());
        p.setProperty("credentials.operator", credentials.operator());
        p.setProperty("credentials.scraper", credentials.scraper());
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "choreo bench stack: read by the load generator (--stack)");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    static StackInfo read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the stack file " + file, e);
        }
        Map<String, URI> urls = new LinkedHashMap<>();
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String key : new TreeMap<>(p).keySet().stream().map(Object::toString).toList()) {
            if (key.startsWith("url.")) {
                urls.put(key.substring(4), URI.create(p.getProperty(key)));
            } else if (key.startsWith("pid.")) {
                pids.put(key.substring(4), Long.parseLong(p.getProperty(key)));
            }
        }
        return new StackInfo(p.getProperty("bootstrap"), urls, pids,
                Double.parseDouble(p.getProperty("readySeconds", "NaN")), new LocalCredentials(
                        p.getProperty("credentials.customer"), p.getProperty("credentials.operator"),
                        p.getProperty("credentials.scraper")));
    }

    /**
     * A suite on the default ports (or the given ones), its JVMs found among this user's processes by their jar and
     * {@code --server.port}; the broker is the JVM of {@code KafkaBrokerMain}.
     */
    static StackInfo discover(String bootstrapServers, Map<String, URI> urls, LocalCredentials credentials) {
        Map<String, Long> pids = new LinkedHashMap<>();
        ProcessHandle.allProcesses().forEach(process -> {
            String commandLine = process.info().commandLine().orElse("");
            if (commandLine.contains("dev.choreo.localsuite.KafkaBrokerMain")) {
                pids.putIfAbsent(BROKER, process.pid());
            }
            urls.forEach((name, uri) -> {
                if (commandLine.contains(name + "-exec.jar") && commandLine.contains("--server.port=" + uri.getPort())) {
                    pids.putIfAbsent(name, process.pid());
                }
            });
        });
        return new StackInfo(bootstrapServers, urls, pids, Double.NaN, credentials);
    }

    static Map<String, URI> defaultUrls() {
        Map<String, URI> urls = new LinkedHashMap<>();
        for (ChoreoService service : ChoreoService.values()) {
            urls.put(service.moduleName(), URI.create("http://127.0.0.1:" + service.defaultPort()));
        }
        return urls;
    }
}
