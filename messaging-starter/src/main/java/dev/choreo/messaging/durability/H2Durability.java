package dev.choreo.messaging.durability;

import java.util.Locale;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Refuses to start on an H2 file database that could lose acknowledged commits. H2 writes a commit to its file up to
 * {@code WRITE_DELAY} (500 ms by default) after it returned; a service killed within that window forgets a commit
 * whose Kafka offset was already committed, and the event is lost for good (seen: shipping forgot an address it had
 * consumed). With {@code WRITE_DELAY=0} each commit reaches the operating system before it returns, which a killed
 * process cannot undo. PostgreSQL needs nothing: its commit is durable when it returns.
 */
public class H2Durability implements EnvironmentPostProcessor {

    /** The URL setting every H2 file database of the suite needs. */
    public static final String WRITE_DELAY_ZERO = "WRITE_DELAY=0";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty("spring.datasource.url");
        if (url != null && isUnsafe(url)) {
            throw new IllegalStateException("spring.datasource.url " + url + " is an H2 file database without "
                    + WRITE_DELAY_ZERO + ": acknowledged commits would be lost when the service is killed. Add ;"
                    + WRITE_DELAY_ZERO + " to the URL.");
        }
    }

    static boolean isUnsafe(String url) {
        String normalized = url.toUpperCase(Locale.ROOT).replace(" ", "");
        boolean h2File = normalized.startsWith("JDBC:H2:") && !normalized.startsWith("JDBC:H2:MEM:")
                && !normalized.startsWith("JDBC:H2:TCP:") && !normalized.startsWith("JDBC:H2:SSL:");
        return h2File && !normalized.contains(";" + WRITE_DELAY_ZERO);
    }
}
