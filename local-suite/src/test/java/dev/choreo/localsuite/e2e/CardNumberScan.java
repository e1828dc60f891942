package dev.choreo.localsuite.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Looks for payment card numbers (issue 15) where the suite keeps data: every record of every topic (key, value,
 * headers; dead-letter topics and aborted transactions included), every row of every table of a database, every
 * log file. A card number here is a run of 13 to 19 digits, not part of a longer word or number, starting as the
 * card issuers' numbers do (2 to 6) and passing the Luhn check: that leaves out epoch timestamps (they start with 1)
 * and digits inside hexadecimal ids and trace ids. What it counts shows the scan had something to read.
 */
final class CardNumberScan {

    private static final Pattern CANDIDATE = Pattern.compile("(?<![0-9A-Za-z])[2-6][0-9]{12,18}(?![0-9A-Za-z])");

    private final List<String> findings = new ArrayList<>();
    private long records;
    private long rows;
    private long logBytes;

    /** Every record of every (non-internal) topic, read from the beginning to the end with a plain consumer. */
    CardNumberScan topics(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        // aborted transactions too: a card number in one would still sit on the broker's disk
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Set<String> names = admin.listTopics().names().get();
            List<TopicPartition> partitions = new ArrayList<>();
            for (TopicDescription topic : admin.describeTopics(names).allTopicNames().get().values()) {
                topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read every topic to its end within 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    String where = "record " + record.topic() + "-" + record.partition() + "@" + record.offset();
                    scan(where + " key", record.key());
                    scan(where + " value", record.value());
                    for (Header header : record.headers()) {
                        scan(where + " header " + header.key(), header.value());
                    }
                }
            }
            return this;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not read the topics", e);
        }
    }

    /** Every row of every table of the database, each column as text (binary columns decoded as UTF-8). */
    CardNumberScan database(String name, Connection connection) throws SQLException {
        DatabaseMetaData metadata = connection.getMetaData();
        List<String> tables = new ArrayList<>();
        try (ResultSet found = metadata.getTables(null, null, "%", new String[] {"TABLE"})) {
            while (found.next()) {
                String schema = found.getString("TABLE_SCHEM");
                if (!"information_schema".equals(schema) && !"pg_catalog".equals(schema)) {
                    tables.add("\"" + schema + "\".\"" + found.getString("TABLE_NAME") + "\"");
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            for (String table : tables) {
                try (ResultSet row = statement.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData columns = row.getMetaData();
                    while (row.next()) {
                        rows++;
                        for (int i = 1; i <= columns.getColumnCount(); i++) {
                            String where = name + " " + table + "." + columns.getColumnName(i);
                            if (isBinary(columns.getColumnType(i))) {
                                scan(where, row.getBytes(i));
                            } else {
                                scan(where, row.getString(i));
                            }
                        }
                    }
                }
            }
        }
        return this;
    }

    /** Every file under the directory. */
    CardNumberScan files(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(file);
                logBytes += content.length;
                scan(file.toString(), content);
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> findings() {
        return List.copyOf(findings);
    }

    long records() {
        return records;
    }

    long rows() {
        return rows;
    }

    long logBytes() {
        return logBytes;
    }

    /** The card numbers in the text, masked as a receipt would (first 6 and last 4 digits). */
    static List<String> cardNumbersIn(String text) {
        List<String> found = new ArrayList<>();
        Matcher candidate = CANDIDATE.matcher(text);
        while (candidate.find()) {
            String digits = candidate.group();
            if (luhn(digits)) {
                found.add(digits.substring(0, 6) + "…" + digits.substring(digits.length() - 4)
                        + " (" + digits.length() + " digits)");
            }
        }
        return found;
    }

    private void scan(String where, byte[] bytes) {
        if (bytes != null) {
            scan(where, new String(bytes, StandardCharsets.UTF_8));
        }
    }

    private void scan(String where, String text) {
        if (text != null) {
            cardNumbersIn(text).forEach(number -> findings.add(where + ": " + number));
        }
    }

    private static boolean isBinary(int type) {
        return type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY || type == Types.BLOB;
    }

    private static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int digit = digits.charAt(i) - '0';
            if (twice) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    @Override
    public String toString() {
        return records + " records, " + rows + " rows, " + logBytes + " bytes of logs: " + findings;
    }
}
