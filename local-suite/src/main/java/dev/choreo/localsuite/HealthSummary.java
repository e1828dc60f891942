package dev.choreo.localsuite;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code ./run-local.sh ctl health}: the first thing to run when something looks wrong. A few lines that say what
 * runs, what is ready (a service's readiness, the broker answering), how far behind each service's consumer group
 * is (records not yet consumed, summed over its partitions), and how many processes the collector sees open and
 * stuck, with the diagnosis of the one stuck longest. Every probe has a short timeout: a hung service shows as
 * "no answer", it does not hang the summary.
 */
final class HealthSummary {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"");
    private static final Pattern CORRELATION_ID = Pattern.compile("\"correlationId\"\\s*:");
    private static final Pattern SUMMARY = Pattern.compile("\"summary\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern OPEN_PROCESSES = Pattern.compile("(?m)^choreo_processes_open(?:\\{[^}]*})?\\s+(\\S+)");

    private final Supervisor supervisor;
    private final String operatorAuthorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1).build();

    /** @param operatorAuthorization how to ask the collector (an operator's Authorization header), or null */
    HealthSummary(Supervisor supervisor, String operatorAuthorization) {
        this.supervisor = supervisor;
        this.operatorAuthorization = operatorAuthorization;
    }

    String render() {
        List<Supervisor.UnitStatus> units = supervisor.units();
        Optional<String> bootstrap = units.stream().filter(unit -> unit.name().equals("kafka"))
                .map(Supervisor.UnitStatus::address).findFirst();
        List<String> groups = units.stream().filter(HealthSummary::isService)
                .map(unit -> consumerGroupOf(unit.name())).distinct().toList();
        Map<String, String> lag = new HashMap<>();
        String brokerReady = bootstrap.map(servers -> lagPerGroup(servers, groups, lag)).orElse("-");

        StringBuilder text = new StringBuilder();
        long running = units.stream().filter(unit -> unit.state().equals("UP")).count();
        List<String[]> rows = new ArrayList<>();
        long ready = 0;
        for (Supervisor.UnitStatus unit : units) {
            String readiness = switch (unit.name()) {
                case "kafka" -> unit.state().equals("UP") ? brokerReady : "no";
                case "postgres" -> unit.state().equals("UP") ? "yes" : "no";
                default -> unit.state().equals("UP") || unit.state().equals("PAUSED") ? readiness(unit.address()) : "no";
            };
            ready += readiness.equals("yes") ? 1 : 0;
            rows.add(new String[] {unit.name(), unit.state(), readiness,
                    isService(unit) ? lag.getOrDefault(consumerGroupOf(unit.name()), "?") : "-",
                    String.valueOf(unit.restarts())});
        }
        text.append(String.format("choreo at %s: %d of %d running, %d ready%n%n", LocalTime.now().truncatedTo(ChronoUnit.SECONDS),
                running, units.size(), ready));
        text.append(String.format("%-24s %-9s %-16s %10s  %s%n", "NAME", "STATE", "READY", "LAG", "RESTARTS"));
        rows.forEach(row -> text.append(String.format("%-24s %-9s %-16s %10s  %s%n", (Object[]) row)));
        units.stream().filter(unit -> unit.name().equals(ChoreoService.TRACING_COLLECTOR.moduleName())
                        && unit.state().equals("UP"))
                .findFirst().ifPresent(collector -> text.append(System.lineSeparator()).append(processes(collector.address())));
        return text.toString();
    }

    private static boolean isService(Supervisor.UnitStatus unit) {
        return unit.address().startsWith("http");
    }

    /** Every instance of a service shares its consumer group, named after the service. */
    private static String consumerGroupOf(String unitName) {
        int instance = unitName.indexOf('#');
        return instance < 0 ? unitName : unitName.substring(0, instance);
    }

    /** Spring Boot's readiness group; the overall health where a service has none. */
    private String readiness(String baseUrl) {
        Optional<HttpResponse<String>> readiness = get(baseUrl + "/actuator/health/readiness");
        if (readiness.isPresent() && readiness.get().statusCode() == 404) {
            readiness = get(baseUrl + "/actuator/health");
        }
        return readiness.map(response -> {
            Matcher status = STATUS.matcher(response.body());
            String value = status.find() ? status.group(1) : "HTTP " + response.statusCode();
            return value.equals("UP") ? "yes" : "no: " + value;
        }).orElse("no answer");
    }

    /**
     * Fills {@code lag} with each group's records not yet consumed (end offset minus committed offset, over every
     * partition it committed on) and returns whether the broker answered.
     */
    private static String lagPerGroup(String bootstrapServers, List<String> groups, Map<String, String> lag) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()))) {
            Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new LinkedHashMap<>();
            for (String group : groups) {
                committed.put(group, admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.values().forEach(offsets -> offsets.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = latest.isEmpty() ? Map.of()
                    : admin.listOffsets(latest).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            committed.forEach((group, offsets) -> {
                long behind = 0;
                for (Map.Entry<TopicPartition, OffsetAndMetadata> offset : offsets.entrySet()) {
                    if (offset.getValue() != null && ends.containsKey(offset.getKey())) {
                        behind += Math.max(0, ends.get(offset.getKey()).offset() - offset.getValue().offset());
                    }
                }
                lag.put(group, offsets.isEmpty() ? "none yet" : String.valueOf(behind));
            });
            return "yes";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no answer";
        } catch (ExecutionException | TimeoutException e) {
            return "no answer";
        }
    }

    private String processes(String collectorUrl) {
        Optional<HttpResponse<String>> stuck = get(collectorUrl + "/processes?status=STUCK&limit=1000");
        Optional<HttpResponse<String>> metrics = get(collectorUrl + "/actuator/prometheus");
        String open = metrics.filter(response -> response.statusCode() == 200)
                .map(response -> OPEN_PROCESSES.matcher(response.body()))
                .filter(Matcher::find).map(m -> String.valueOf((long) Double.parseDouble(m.group(1)))).orElse("?");
        if (stuck.isEmpty() || stuck.get().statusCode() != 200) {
            return "Processes: " + open + " open; the collector did not list the stuck ones" + System.lineSeparator();
        }
        long stuckCount = CORRELATION_ID.matcher(stuck.get().body()).results().count();
        StringBuilder text = new StringBuilder("Processes: " + open + " open, " + stuckCount + " stuck");
        Matcher summary = SUMMARY.matcher(stuck.get().body());
        if (stuckCount > 0 && summary.find()) {
            text.append(System.lineSeparator()).append("  stuck longest: ").append(summary.group(1).replace("\\\"", "\""));
            text.append(System.lineSeparator()).append("  all of them:   ").append(collectorUrl).append("/processes?status=STUCK");
        }
        return text.append(System.lineSeparator()).toString();
    }

    private Optional<HttpResponse<String>> get(String url) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET();
            if (operatorAuthorization != null) {
                request.header("Authorization", operatorAuthorization);
            }
            return Optional.of(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
