package dev.choreo.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.choreo.security.app.SecuredTestApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Production's configuration: the service as an OAuth2 resource server, verifying JWTs signed by the issuer (here
 * a key pair made for the test; with {@code issuer-uri} Spring fetches the issuer's keys instead) and taking the
 * roles from the {@code roles} claim and the caller's name from the subject. No local user exists.
 */
@SpringBootTest(classes = SecuredTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JwtResourceServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final KeyPair ISSUER_KEYS = rsaKeys();
    private static final KeyPair OTHER_KEYS = rsaKeys();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location",
                () -> "file:" + publicKeyFile(ISSUER_KEYS));
    }

    @Test
    void theRolesClaimDecidesAndTheSubjectIsTheCaller() throws Exception {
        HttpResponse<String> operator = send(get("/everything", token(ISSUER_KEYS, "ops-anna", List.of("operator"), 60)));
        assertThat(operator.statusCode()).isEqualTo(200);
        assertThat(operator.body()).isEqualTo("{\"who\":\"ops-anna\"}");

        String customer = token(ISSUER_KEYS, "cust-42", List.of("customer"), 60);
        assertThat(send(get("/everything", customer)).statusCode()).isEqualTo(403);
        HttpResponse<String> mine = send(get("/mine", customer).POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json"));
        assertThat(mine.statusCode()).isEqualTo(200);
        assertThat(mine.body()).contains("\"who\":\"cust-42\"");

        assertThat(send(get("/actuator/prometheus", token(ISSUER_KEYS, "prom", List.of("scraper"), 60)))
                .statusCode()).isEqualTo(200);
        assertThat(send(get("/actuator/prometheus", customer)).statusCode()).isEqualTo(403);
    }

    @Test
    void forgedExpiredOrMissingTokensAndLocalUsersAreRefused() throws Exception {
        HttpResponse<String> forged = send(get("/everything", token(OTHER_KEYS, "mallory", List.of("operator"), 60)));
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
        assertThat(forged.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        assertThat(send(get("/everything", token(ISSUER_KEYS, "ops-anna", List.of("operator"), -120)))
                .statusCode()).isEqualTo(401);
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(uri("/everything")));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(send(HttpRequest.newBuilder(uri("/everything")).header("Authorization",
                LocalUsersSecurityTest.basic("operator", "anything"))).statusCode()).isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(uri("/actuator/health"))).statusCode()).isEqualTo(200);
    }

    private HttpRequest.Builder get(String path, String token) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String token(KeyPair keys, String subject, List<String> roles, long validSeconds)
            throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer("https://issuer.example")
                .claim("roles", roles)
                .issueTime(Date.from(now.minusSeconds(300)))
                .expirationTime(Date.from(now.plusSeconds(validSeconds)))
                .build());
        jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
        return jwt.serialize();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path publicKeyFile(KeyPair keys) {
        try {
            Path file = Files.createTempFile("issuer", ".pub");
            file.toFile().deleteOnExit();
            Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
