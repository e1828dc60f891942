package dev.choreo.localsuite;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;

/**
 * For {@link H2DurabilityTest}, in its own JVM: opens an H2 file database the way a service's connection pool does
 * (URL of the services' local profile, extra settings as connection properties, like Hikari's
 * {@code data-source-properties}), commits one row per argument-given id, prints {@code COMMITTED} and waits to be
 * SIGKILLed.
 */
public final class H2CommitThenWait {

    private H2CommitThenWait() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        Properties properties = new Properties();
        properties.setProperty("user", "sa");
        properties.setProperty("password", "");
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            properties.setProperty(kv[0], kv[1]);
        }
        try (Connection connection = DriverManager.getConnection(url, properties)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS processed_event (event_id VARCHAR(64) PRIMARY KEY)");
            }
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO processed_event VALUES ('" + args[1] + "')");
            }
            connection.commit();
            System.out.println("COMMITTED");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
