package dev.choreo.messaging.durability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

/**
 * Run in a child JVM by {@link H2DurabilityTest}: commits one row per transaction, as fast as it can, and prints the
 * number of each row once its commit returned, until it is killed.
 */
public final class H2CommitWriter {

    private H2CommitWriter() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection connection = DriverManager.getConnection(args[0], "sa", "")) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO acked (n) VALUES (?)")) {
                for (int n = 1; ; n++) {
                    insert.setInt(1, n);
                    insert.executeUpdate();
                    connection.commit();
                    System.out.println(n);
                }
            }
        }
    }
}
