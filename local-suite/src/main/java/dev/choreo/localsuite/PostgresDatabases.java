package dev.choreo.localsuite;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Creates and drops PostgreSQL databases, one per service and test run, so end-to-end runs never share state.
 * Connection settings follow the libpq environment variables ({@code PGHOST}, {@code PGPORT}, {@code PGUSER},
 * {@code PGPASSWORD}) with the defaults of our machines: 127.0.0.1:5432, user postgres, trust authentication.
 */
public final class PostgresDatabases {

    /** Unquoted, lower-case identifiers only: names are spliced into DDL, which cannot take bind parameters. */
    private static final Pattern SAFE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String hostAndPort;
    private final String username;
    private final String password;

    public PostgresDatabases(String hostAndPort, String username, String password) {
        this.hostAndPort = hostAndPort;
        this.username = username;
        this.password = password;
    }

    public static PostgresDatabases fromEnvironment() {
        return new PostgresDatabases(
                env("PGHOST", "127.0.0.1") + ":" + env("PGPORT", "5432"),
                env("PGUSER", "postgres"),
                env("PGPASSWORD", ""));
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + hostAndPort + "/" + database;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public void create(String database) {
        execute("CREATE DATABASE " + checked(database));
    }

    /** Drops the database even while a (stopped too late, or killed) service still holds connections to it. */
    public void drop(String database) {
        execute("DROP DATABASE IF EXISTS " + checked(database) + " WITH (FORCE)");
    }

    public boolean exists(String database) {
        try (Connection connection = connect("postgres");
             PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            statement.setString(1, database);
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot query databases at " + hostAndPort + ": " + e.getMessage(), e);
        }
    }

    public Connection connect(String database) throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", username);
        if (!password.isEmpty()) {
            credentials.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl(database), credentials);
    }

    private void execute(String ddl) {
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute(ddl);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + hostAndPort + " refused \"" + ddl + "\": " + e.getMessage(), e);
        }
    }

    private static String checked(String database) {
        if (!SAFE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("Not a plain PostgreSQL database name: " + database);
        }
        return database;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
