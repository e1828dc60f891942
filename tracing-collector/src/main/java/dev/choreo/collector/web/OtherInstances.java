package dev.choreo.collector.web;

import dev.choreo.collector.CollectorProperties;
import dev.choreo.collector.diagnosis.ConsumerGroupProbe;
import dev.choreo.collector.instances.CollectorInstances;
import dev.choreo.collector.instances.CollectorInstances.Instance;
import dev.choreo.collector.instances.ThisInstance;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks the other live collector instances what this one does not hold: each instance keeps the processes of the
 * partitions it owns. A request carries {@link #FORWARDED_BY}, and an instance answers such a request from what
 * it holds and never forwards it again.
 */
@Component
class OtherInstances {

    /** Set on a forwarded request: the URL of the instance that forwarded it. */
    static final String FORWARDED_BY = "Choreo-Forwarded-By";
    /** Set on a relayed answer: the URL of the instance that gave it. */
    static final String ANSWERED_BY = "Choreo-Answered-By";

    private final CollectorInstances instances;
    private final ThisInstance self;
    private final JsonMapper json;
    private final Duration timeout;
    private final HttpClient http;

    OtherInstances(CollectorInstances instances, ThisInstance self, JsonMapper json,
            CollectorProperties properties) {
        this.instances = instances;
        this.self = self;
        this.json = json;
        this.timeout = properties.forwardTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * Sends the request to each other instance in turn and relays the first answer that is not 404: the instance
     * that holds the process answers, the others do not know it (and do nothing). Empty when none holds it.
     *
     * @param body JSON, or null
     * @throws InstanceUnreachableException none answered for it and some could not be asked
     */
    Optional<ResponseEntity<String>> relay(String method, String path, String body) {
        List<Instance> unreachable = new ArrayList<>();
        for (Instance instance : others()) {
            if (!instance.addressable()) {
                unreachable.add(instance);
                continue;
            }
            try {
                HttpResponse<String> answer = send(instance, method, path, body);
                if (answer.statusCode() != HttpStatus.NOT_FOUND.value()) {
                    return Optional.of(ResponseEntity.status(answer.statusCode()).header(ANSWERED_BY, instance.name())
                            .contentType(answer.headers().firstValue("Content-Type").map(MediaType::parseMediaType)
                                    .orElse(MediaType.APPLICATION_JSON))
                            .body(answer.body()));
                }
            } catch (IOException e) {
                unreachable.add(instance);
            }
        }
        if (!unreachable.isEmpty()) {
            throw new InstanceUnreachableException(
                    "no live instance that answered holds the process; it may be on one that did not", unreachable);
        }
        return Optional.empty();
    }

    /**
     * The list every other instance answers from what it holds (a JSON array each), concatenated.
     *
     * @throws InstanceUnreachableException an instance could not be asked: a list without its processes would be
     *                                      silently incomplete
     */
    List<JsonNode> lists(String pathAndQuery) {
        List<JsonNode> items = new ArrayList<>();
        List<Instance> unreachable = new ArrayList<>();
        for (Instance instance : others()) {
            if (!instance.addressable()) {
                unreachable.add(instance);
                continue;
            }
            try {
                HttpResponse<String> answer = send(instance, "GET", pathAndQuery, null);
                if (answer.statusCode() != HttpStatus.OK.value()) {
                    unreachable.add(instance);
                    continue;
                }
                json.readTree(answer.body()).forEach(items::add);
            } catch (IOException | JacksonException e) {
                unreachable.add(instance);
            }
        }
        if (!unreachable.isEmpty()) {
            throw new InstanceUnreachableException("the list would miss the processes of instances that did not answer",
                    unreachable);
        }
        return items;
    }

    private List<Instance> others() {
        try {
            return instances.others();
        } catch (ConsumerGroupProbe.ProbeException e) {
            throw new InstanceUnreachableException("could not ask Kafka which collector instances are live: "
                    + e.getMessage(), List.of());
        }
    }

    private HttpResponse<String> send(Instance instance, String method, String path, String body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(instance.name() + path)).timeout(timeout)
                .header(FORWARDED_BY, String.valueOf(self.url())).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", MediaType.APPLICATION_JSON_VALUE);
        }
        // the caller's own credentials: the other instance checks the same role and names the same caller
        callersAuthorization().ifPresent(authorization -> request.header(HttpHeaders.AUTHORIZATION, authorization));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static Optional<String> callersAuthorization() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? Optional.ofNullable(attributes.getRequest().getHeader(HttpHeaders.AUTHORIZATION))
                : Optional.empty();
    }

    /** Another instance, maybe the one holding the process, could not be asked (HTTP 503 naming it). */
    static final class InstanceUnreachableException extends RuntimeException {

        private final transient List<Instance> instances;

        InstanceUnreachableException(String message, List<Instance> instances) {
            super(message);
            this.instances = List.copyOf(instances);
        }

        List<Instance> instances() {
            return instances;
        }
    }
}
