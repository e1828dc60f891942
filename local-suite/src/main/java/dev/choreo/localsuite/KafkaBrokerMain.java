package dev.choreo.localsuite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * The main class of the broker's own JVM ({@link KafkaBroker} launches it): formats the storage on first start
 * (like {@code kafka-storage.sh format}), starts a {@link KafkaRaftServer} (the server {@code kafka.Kafka} builds
 * for a KRaft node) and, once it serves requests, writes the ready file the launcher waits for. SIGTERM shuts the
 * broker down cleanly; with {@code -Dchoreo.parent-pid} it also halts when the launcher is gone.
 *
 * <pre>java -cp local-suite classpath dev.choreo.localsuite.KafkaBrokerMain server.properties ready-file</pre>
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("Usage: KafkaBrokerMain <server.properties> <ready file>");
            System.exit(2);
        }
        ParentWatch.startFromSystemProperty();
        Path configFile = Path.of(args[0]);
        Path readyFile = Path.of(args[1]);
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(configFile)) {
            properties.load(in);
        }
        if (!Files.exists(Path.of(properties.getProperty("log.dirs")).resolve("meta.properties"))) {
            format(configFile);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "kafka-shutdown"));
        try {
            // returns once the broker is unfenced and serving requests
            server.startup();
        } catch (RuntimeException e) {
            e.printStackTrace();
            Runtime.getRuntime().halt(1);
        }
        Files.writeString(readyFile, String.valueOf(ProcessHandle.current().pid()));
        System.out.println("choreo: Kafka broker ready on " + properties.getProperty("listeners"));
        server.awaitShutdown();
    }

    private static void format(Path configFile) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] args = {"format", "--config", configFile.toString(), "--cluster-id", Uuid.randomUuid().toString()};
        int exitCode;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(args, out);
        }
        System.out.print(output.toString(StandardCharsets.UTF_8));
        if (exitCode != 0) {
            System.err.println("Formatting Kafka storage failed (exit code " + exitCode + ")");
            System.exit(1);
        }
    }
}
