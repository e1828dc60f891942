package dev.choreo.messaging.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * A fresh database per test class on the PostgreSQL server the tests run against (127.0.0.1:5432, user
 * postgres, trust auth, or {@code CHOREO_TEST_PG_HOST}/{@code _PORT}/{@code _USER}). The name is derived from
 * the caller, so a re-run drops and recreates the same database instead of piling up new ones.
 */
public final class PostgresTestDatabase {

    private static final String HOST = env("CHOREO_TEST_PG_HOST", "127.0.0.1");
    private static final String PORT = env("CHOREO_TEST_PG_PORT", "5432");
    public static final String USER = env("CHOREO_TEST_PG_USER", "postgres");

    private PostgresTestDatabase() {
    }

    /** Drops and creates database {@code name}; returns its JDBC URL. */
    public static String recreate(String name) {
        String database = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        try (Connection admin = DriverManager.getConnection(url("postgres"), USER, null);
                Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            sql.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + database + " at " + url("postgres")
                    + " (is PostgreSQL running?)", e);
        }
        return url(database);
    }

    public static String url(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
