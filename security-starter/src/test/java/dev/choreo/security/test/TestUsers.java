package dev.choreo.security.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The local users every service test runs with (as properties for {@code @SpringBootTest}), their Basic
 * credentials, and the check that an endpoint admits operators only.
 */
public final class TestUsers {

    public static final String CUSTOMER_PASSWORD = "choreo.security.users.customer.password=customer-secret";
    public static final String OPERATOR_PASSWORD = "choreo.security.users.operator.password=operator-secret";
    public static final String SCRAPER_PASSWORD = "choreo.security.users.scraper.password=scraper-secret";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestUsers() {
    }

    /** The Authorization header of a local user: {@code customer}, {@code operator} or {@code scraper}. */
    public static String basic(String user) {
        return "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + user + "-secret").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Anonymous callers get 401, customers and scrapers 403 (both as problem details), an operator neither.
     *
     * @param method GET or POST (POST with an empty JSON object)
     */
    public static void assertOnlyOperatorsMay(String baseUrl, String method, String path) {
        assertThat(status(baseUrl, method, path, null)).as("anonymous %s %s", method, path).isEqualTo(401);
        assertThat(status(baseUrl, method, path, "customer")).as("customer %s %s", method, path).isEqualTo(403);
        assertThat(status(baseUrl, method, path, "scraper")).as("scraper %s %s", method, path).isEqualTo(403);
        assertThat(status(baseUrl, method, path, "operator")).as("operator %s %s", method, path)
                .isNotIn(401, 403);
    }

    /** Only the scraper and operators read metrics; health is anonymous. */
    public static void assertMetricsNeedTheScraper(String baseUrl) {
        assertThat(status(baseUrl, "GET", "/actuator/health/liveness", null)).isEqualTo(200);
        assertThat(status(baseUrl, "GET", "/actuator/health/readiness", null)).isIn(200, 503);
        assertThat(status(baseUrl, "GET", "/actuator/prometheus", null)).isEqualTo(401);
        assertThat(status(baseUrl, "GET", "/actuator/prometheus", "customer")).isEqualTo(403);
        assertThat(status(baseUrl, "GET", "/actuator/prometheus", "scraper")).isEqualTo(200);
    }

    public static int status(String baseUrl, String method, String path, String user) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .method(method, "GET".equals(method)
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"));
        if (user != null) {
            request.header("Authorization", basic(user));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
