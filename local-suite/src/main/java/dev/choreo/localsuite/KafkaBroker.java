package dev.choreo.localsuite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
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
 * A real single-node Apache Kafka broker (KRaft, combined broker + controller) running inside this JVM.
 *
 * <p>In-process rather than a child JVM: {@link KafkaRaftServer} is the server {@code kafka.Kafka} itself builds
 * for a KRaft node, and Kafka's own cluster test kit stops and restarts it in one JVM, so stop/start on the same
 * data dir and port is reliable; in process it starts in about two seconds, needs no classpath juggling and
 * shares the launcher's lifecycle (no orphaned broker when the launcher dies).
 *
 * <p>The storage is formatted once (like {@code kafka-storage.sh format}); later starts reuse it, so records,
 * topics and committed offsets survive {@link #stop()} and {@link #start()}.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final int NODE_ID = 1;

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    /**
     * @param dataDir where the broker keeps its configuration and log segments; created if missing
     * @param port    the PLAINTEXT port clients use; 0 picks a free one, kept for later restarts
     */
    public KafkaBroker(Path dataDir, int port) {
        this.dataDir = dataDir.toAbsolutePath();
        this.port = port == 0 ? FreePorts.pick() : port;
        this.controllerPort = FreePorts.pick();
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        Properties properties = serverProperties();
        Path configFile = writeConfig(properties);
        if (!Files.exists(logDir().resolve("meta.properties"))) {
            format(configFile);
        }
        KafkaRaftServer starting = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        try {
            // returns once the broker is unfenced and serving requests
            starting.startup();
        } catch (RuntimeException e) {
            starting.shutdown();
            starting.awaitShutdown();
            throw new IllegalStateException("Kafka broker did not start on " + bootstrapServers(), e);
        }
        server = starting;
    }

    /** Shuts the broker down cleanly; data is kept, so {@link #start()} brings the same topics and records back. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    private Path logDir() {
        return dataDir.resolve("log");
    }

    private Properties serverProperties() {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", String.valueOf(NODE_ID));
        p.setProperty("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logDir().toString());

        // one node: every internal topic must accept replication factor 1
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        // fewer internal partitions than the defaults (50): less to create and load on a 2-core laptop
        p.setProperty("offsets.topic.num.partitions", "10");
        p.setProperty("transaction.state.log.num.partitions", "10");

        // the services declare their topics (one shared partition count); a typo must not create a topic
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("group.initial.rebalance.delay.ms", "0");

        // load tests write gigabytes: cap each partition at ~64 MiB (+ one 16 MiB segment) and one day
        p.setProperty("log.retention.bytes", String.valueOf(64L * 1024 * 1024));
        p.setProperty("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.setProperty("log.retention.hours", "24");
        p.setProperty("log.retention.check.interval.ms", "60000");
        // the cleaner's dedupe buffer is allocated on our heap up front (default 128 MiB)
        p.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        return p;
    }

    /** Written for StorageTool and for a person who wants to see how the broker is configured. */
    private Path writeConfig(Properties properties) {
        Path file = dataDir.resolve("server.properties");
        try {
            Files.createDirectories(dataDir);
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                properties.store(out, "choreo local single-node KRaft broker");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private void format(Path configFile) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] args = {"format", "--config", configFile.toString(), "--cluster-id", Uuid.randomUuid().toString()};
        int exitCode;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(args, out);
        }
        if (exitCode != 0) {
            throw new IllegalStateException("Formatting Kafka storage in " + logDir() + " failed: "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }
}
