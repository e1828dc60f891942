package dev.choreo.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.choreo.security.app.SecuredTestApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The local run's security over real HTTP: local users with HTTP Basic, the shared rules, the request caps. */
@SpringBootTest(classes = SecuredTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "choreo.security.users.customer.password=c-secret",
            "choreo.security.users.operator.password=o-secret",
            "choreo.security.users.scraper.password=s-secret",
            "choreo.security.max-request-size=2KB",
            "choreo.security.max-request-headers=2KB"})
class LocalUsersSecurityTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void anonymousCallsGetAProblemAndABasicChallengeExceptFromABrowser() throws Exception {
        HttpResponse<String> anonymous = send(get("/everything"));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(anonymous.body()).contains("\"title\":\"Authentication required\"");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Basic"));

        // a browser is never asked, so it never remembers credentials another site's request could ride on
        HttpResponse<String> fromBrowser = send(get("/everything").header("Sec-Fetch-Mode", "cors"));
        assertThat(fromBrowser.statusCode()).isEqualTo(401);
        assertThat(fromBrowser.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(send(post("/mine", "x").header("Sec-Fetch-Site", "cross-site")).statusCode()).isEqualTo(401);
    }

    @Test
    void eachRoleReachesWhatItMayAndNothingElse() throws Exception {
        assertThat(send(get("/everything").header("Authorization", basic("operator", "o-secret"))).body())
                .isEqualTo("{\"who\":\"operator\"}");
        HttpResponse<String> customer = send(get("/everything").header("Authorization", basic("customer", "c-secret")));
        assertThat(customer.statusCode()).isEqualTo(403);
        assertThat(customer.body()).contains("\"title\":\"Forbidden\"");
        assertThat(send(get("/everything").header("Authorization", basic("scraper", "s-secret"))).statusCode())
                .isEqualTo(403);

        HttpResponse<String> mine = send(post("/mine", "hello").header("Authorization", basic("customer", "c-secret")));
        assertThat(mine.statusCode()).isEqualTo(200);
        assertThat(mine.body()).contains("\"who\":\"customer\"").contains("\"operator\":false");

        assertThat(send(get("/everything").header("Authorization", basic("operator", "wrong"))).statusCode())
                .isEqualTo(401);
        assertThat(send(get("/everything").header("Authorization", basic("nobody", "o-secret"))).statusCode())
                .isEqualTo(401);
    }

    @Test
    void onlyHealthIsAnonymousAndOnlyTheScraperOrAnOperatorReadsMetrics() throws Exception {
        assertThat(send(get("/actuator/health")).statusCode()).isEqualTo(200);
        assertThat(send(get("/actuator/health/liveness")).statusCode()).isEqualTo(200);
        assertThat(send(get("/actuator/prometheus")).statusCode()).isEqualTo(401);
        assertThat(send(get("/actuator/prometheus").header("Authorization", basic("customer", "c-secret")))
                .statusCode()).isEqualTo(403);
        HttpResponse<String> scraped = send(get("/actuator/prometheus")
                .header("Authorization", basic("scraper", "s-secret")));
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.body()).contains("jvm_memory_used_bytes");
        assertThat(send(get("/actuator/prometheus").header("Authorization", basic("operator", "o-secret")))
                .statusCode()).isEqualTo(200);
        for (String closed : new String[] {"/actuator/env", "/actuator/info", "/actuator/metrics", "/actuator"}) {
            assertThat(send(get(closed).header("Authorization", basic("operator", "o-secret"))).statusCode())
                    .as(closed).isIn(403, 404);
        }
    }

    @Test
    void oversizedBodiesAndHeadersAreRefusedWithProblemDetails() throws Exception {
        HttpResponse<String> body = send(post("/mine", "x".repeat(3000))
                .header("Authorization", basic("customer", "c-secret")));
        assertThat(body.statusCode()).isEqualTo(413);
        assertThat(body.body()).contains("\"field\":\"body\"");
        // refused before authentication: an anonymous caller cannot make the service read a large body
        assertThat(send(post("/mine", "x".repeat(3000))).statusCode()).isEqualTo(413);

        HttpResponse<String> headers = send(get("/everything").header("Authorization", basic("operator", "o-secret"))
                .header("X-Padding", "y".repeat(3000)));
        assertThat(headers.statusCode()).isEqualTo(431);
        assertThat(headers.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(headers.body()).contains("\"field\":\"headers\"");

        assertThat(send(post("/mine", "x".repeat(1500)).header("Authorization", basic("customer", "c-secret")))
                .body()).contains("\"length\":1500");

        HttpResponse<String> rejected = send(get("/everything;jsessionid=x")
                .header("Authorization", basic("operator", "o-secret")));
        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(rejected.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    private HttpRequest.Builder post(String path, String body) {
        return get(path).header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
