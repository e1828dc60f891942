package dev.choreo.localsuite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The passwords of the local users every service shares ({@code customer}, {@code operator}, {@code scraper}; see
 * security-starter): generated for each run, handed to every service in its environment (not on its command line,
 * which every user of the machine can read), printed when the suite is up and kept, readable by the owner only,
 * in {@code <run-dir>/credentials.properties} for scripts, the load generator and the tests.
 */
public record LocalCredentials(String customer, String operator, String scraper) {

    public static final String FILE_NAME = "credentials.properties";
    private static final SecureRandom RANDOM = new SecureRandom();

    public static LocalCredentials generate() {
        return new LocalCredentials(secret(), secret(), secret());
    }

    /** The file a running suite wrote into its run directory. */
    public static LocalCredentials read(Path runDir) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(runDir.resolve(FILE_NAME))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("no credentials of a running suite in " + runDir, e);
        }
        return new LocalCredentials(properties.getProperty("customer"), properties.getProperty("operator"),
                properties.getProperty("scraper"));
    }

    public void write(Path runDir) {
        Path file = runDir.resolve(FILE_NAME);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, "# the local users' passwords of this run (curl -u operator:<password> ...)\n"
                    + "customer=" + customer + "\noperator=" + operator + "\nscraper=" + scraper + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The environment that sets them in a service (Spring's relaxed binding of choreo.security.users.*). */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("CHOREO_SECURITY_USERS_CUSTOMER_PASSWORD", customer);
        environment.put("CHOREO_SECURITY_USERS_OPERATOR_PASSWORD", operator);
        environment.put("CHOREO_SECURITY_USERS_SCRAPER_PASSWORD", scraper);
        return environment;
    }

    /**
     * Answers the services' Basic challenge as the operator; Java's HttpClient then sends the credentials with every
     * later request to the same service without waiting for another challenge.
     */
    public Authenticator operatorAuthenticator() {
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication("operator", operator.toCharArray());
            }
        };
    }

    /** The Authorization header of the operator. */
    public String operatorAuthorization() {
        return basic("operator", operator);
    }

    public String customerAuthorization() {
        return basic("customer", customer);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "LocalCredentials[****]";
    }

    private static String secret() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
