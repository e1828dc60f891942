package dev.choreo.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * observability/prometheus/prometheus.yml, and its variant for the local run: the same jobs, labels, paths and basic
 * auth user, each target {@code <compose service>:<port>} pointed at where that service listens locally, the basic
 * auth password file at a local one, and 1 s intervals.
 */
final class ScrapeConfig {

    static final String SERVICES_JOB = "choreo";
    /** The HTTP user Prometheus scrapes the services as ({@code choreo.security.users.scraper.password}). */
    static final String SCRAPER_USER = "scraper";

    private final Map<String, Object> root;

    private ScrapeConfig(Map<String, Object> root) {
        this.root = root;
    }

    static ScrapeConfig load() {
        return new ScrapeConfig(new Yaml().load(Repo.read(Repo.PROMETHEUS_CONFIG)));
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> scrapeConfigs() {
        return (List<Map<String, Object>>) root.get("scrape_configs");
    }

    Map<String, Object> job(String name) {
        return scrapeConfigs().stream().filter(job -> name.equals(job.get("job_name"))).findFirst()
                .orElseThrow(() -> new AssertionError("No scrape job " + name + " in " + Repo.PROMETHEUS_CONFIG));
    }

    /** Every static target with its labels, e.g. "order-service:8081" -> {service=order-service}. */
    @SuppressWarnings("unchecked")
    Map<String, Map<String, String>> targets(String job) {
        Map<String, Map<String, String>> targets = new LinkedHashMap<>();
        for (Map<String, Object> staticConfig : (List<Map<String, Object>>) job(job).get("static_configs")) {
            Map<String, String> labels = (Map<String, String>) staticConfig.getOrDefault("labels", Map.of());
            for (Object target : (List<Object>) staticConfig.get("targets")) {
                targets.put(String.valueOf(target), labels);
            }
        }
        return targets;
    }

    /** The local variant, with a scraper password file of its own next to it (for configurations nobody scrapes with). */
    Path writeLocalVariant(Path file, Map<String, String> addresses) {
        Path passwordFile = file.resolveSibling("scraper-password");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(passwordFile, "not-a-real-password");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return writeLocalVariant(file, addresses, passwordFile);
    }

    /**
     * The local variant.
     *
     * @param addresses           compose host name (or "localhost" for Prometheus itself) to "127.0.0.1:port" where
     *                            it runs here; a target whose host is missing fails, so every target of the file is
     *                            exercised
     * @param scraperPasswordFile replaces every job's {@code basic_auth.password_file} (in compose: the generated
     *                            scraper password's volume)
     */
    @SuppressWarnings("unchecked")
    Path writeLocalVariant(Path file, Map<String, String> addresses, Path scraperPasswordFile) {
        Map<String, Object> copy = new Yaml().load(Repo.read(Repo.PROMETHEUS_CONFIG));
        Map<String, Object> global = (Map<String, Object>) copy.computeIfAbsent("global", key -> new LinkedHashMap<>());
        global.put("scrape_interval", "1s");
        global.put("scrape_timeout", "1s");
        global.put("evaluation_interval", "1s");
        // rule files are relative to the configuration file, which is written elsewhere: point at this module's
        List<Object> ruleFiles = (List<Object>) copy.get("rule_files");
        if (ruleFiles != null) {
            copy.put("rule_files", ruleFiles.stream()
                    .map(rules -> Repo.PROMETHEUS_CONFIG.resolveSibling(String.valueOf(rules)).toString()).toList());
        }
        for (Map<String, Object> job : (List<Map<String, Object>>) copy.get("scrape_configs")) {
            job.remove("scrape_interval");
            job.remove("scrape_timeout");
            Map<String, Object> basicAuth = (Map<String, Object>) job.get("basic_auth");
            if (basicAuth != null && basicAuth.containsKey("password_file")) {
                basicAuth.put("password_file", scraperPasswordFile.toAbsolutePath().toString());
            }
            for (Map<String, Object> staticConfig : (List<Map<String, Object>>) job.get("static_configs")) {
                List<String> local = new ArrayList<>();
                for (Object target : (List<Object>) staticConfig.get("targets")) {
                    String host = String.valueOf(target).replaceFirst(":\\d+$", "");
                    String address = addresses.get(host);
                    if (address == null) {
                        throw new IllegalArgumentException("No local address for scrape target " + target
                                + " (job " + job.get("job_name") + "); known: " + addresses.keySet());
                    }
                    local.add(address);
                }
                staticConfig.put("targets", local);
            }
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, new Yaml(options).dump(copy));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
