package dev.choreo.collector.instances;

import dev.choreo.collector.CollectorProperties;
import java.util.Optional;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.stereotype.Component;

/**
 * Where the other collector instances reach this one over HTTP. The URL travels in the Kafka client id of this
 * instance's consumers ({@code tracing-collector|<url>|}, Spring Kafka appends {@code -0}, {@code -1}...), so the
 * consumer group itself says which instance owns which partition and where to ask it: see {@link CollectorInstances}.
 * Set when the web server has its port (before the listener containers start, which run in a later phase).
 */
@Component
public class ThisInstance implements ApplicationListener<WebServerInitializedEvent> {

    private static final String CLIENT_ID_PREFIX = "tracing-collector|";
    private static final char URL_END = '|';

    private final String configuredUrl;
    private final KafkaListenerEndpointRegistry listeners;
    private volatile String url;

    ThisInstance(CollectorProperties properties, KafkaListenerEndpointRegistry listeners) {
        this.configuredUrl = properties.advertisedUrl();
        this.listeners = listeners;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() != null) {
            return; // a separate management server: not where the processes are served
        }
        url = configuredUrl != null ? stripTrailingSlash(configuredUrl)
                : "http://127.0.0.1:" + event.getWebServer().getPort();
        String clientId = CLIENT_ID_PREFIX + url + URL_END;
        listeners.getListenerContainers().forEach(container -> container.getContainerProperties().setClientId(clientId));
    }

    /** This instance's URL; null until its web server is up. */
    public String url() {
        return url;
    }

    /** The URL a collector's consumer advertises in its client id, if it advertises one. */
    static Optional<String> urlOf(String clientId) {
        if (clientId == null || !clientId.startsWith(CLIENT_ID_PREFIX)) {
            return Optional.empty();
        }
        int end = clientId.lastIndexOf(URL_END);
        return end <= CLIENT_ID_PREFIX.length() ? Optional.empty()
                : Optional.of(clientId.substring(CLIENT_ID_PREFIX.length(), end));
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
