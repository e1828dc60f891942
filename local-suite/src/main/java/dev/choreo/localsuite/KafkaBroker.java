package dev.choreo.localsuite;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker + controller) in its own JVM
 * ({@link KafkaBrokerMain}, started from the Kafka artifacts on this JVM's classpath).
 *
 * <p>Its own JVM so it can be SIGKILLed alone ({@link #kill()}) and so a SIGKILLed launcher leaves no broker
 * behind: the child watches its parent ({@link ParentWatch}) and halts when the launcher is gone.
 *
 * <p>The storage is formatted once (like {@code kafka-storage.sh format}); later starts reuse it, so records,
 * topics and committed offsets survive {@link #stop()}/{@link #kill()} and {@link #start()}. Its output goes to
 * {@code <dataDir>/kafka.log} unless {@link #logTo(Path)} says otherwise.
 */
public final class KafkaBroker implements LocalServer, AutoCloseable {

    private static final int NODE_ID = 1;
    /** About 2 s on an idle machine; a busy 2-core CI machine starting six services at once is much slower. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC");

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private volatile Path logFile;
    private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
    private volatile Process process;

    /**
     * @param dataDir where the broker keeps its configuration and log segments; created if missing
     * @param port    the PLAINTEXT port clients use; 0 picks a free one, kept for later restarts
     */
    public KafkaBroker(Path dataDir, int port) {
        this.dataDir = dataDir.toAbsolutePath();
        this.port = port == 0 ? FreePorts.pick() : port;
        this.controllerPort = FreePorts.pick();
        this.logFile = this.dataDir.resolve("kafka.log");
    }

    /** Where the broker's output goes (appended to across restarts). */
    public KafkaBroker logTo(Path file) {
        this.logFile = file.toAbsolutePath();
        return this;
    }

    public KafkaBroker withJvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    /** Launches the broker's JVM and returns once it serves requests; does nothing if it is running. */
    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        Path configFile = writeConfig(serverProperties());
        Path readyFile = dataDir.resolve("broker.ready");
        Process started;
        try {
            Files.deleteIfExists(readyFile);
            Files.createDirectories(logFile.getParent());
            started = new ProcessBuilder(commandLine(configFile, readyFile))
                    .directory(dataDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(logFile.toFile()))
                    .start();
            started.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot launch the Kafka broker", e);
        }
        process = started;
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try {
            while (!Files.exists(readyFile)) {
                if (!started.isAlive()) {
                    process = null;
                    throw new IllegalStateException("Kafka broker did not start on " + bootstrapServers()
                            + ": exited with code " + started.exitValue() + "; see " + logFile);
                }
                if (System.nanoTime() > deadline) {
                    started.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    process = null;
                    throw new IllegalStateException("Kafka broker not ready on " + bootstrapServers() + " after "
                            + START_TIMEOUT.toSeconds() + " s; see " + logFile);
                }
                started.waitFor(50, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            started.destroyForcibly();
            process = null;
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the Kafka broker", e);
        }
    }

    /** Shuts the broker down cleanly (SIGTERM; SIGKILL after 30 s); data is kept for the next {@link #start()}. */
    @Override
    public synchronized void stop() {
        Process running = process;
        if (running == null) {
            return;
        }
        running.toHandle().destroy();
        awaitExit(running, STOP_GRACE);
        process = null;
    }

    /** SIGKILL: no clean shutdown, unflushed log segments are recovered on the next {@link #start()}. */
    @Override
    public synchronized void kill() {
        Process running = process;
        if (running == null) {
            return;
        }
        running.toHandle().destroyForcibly();
        awaitExit(running, Duration.ofSeconds(10));
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    /** True while the broker's JVM lives (also when it died on its own and was not restarted yet: then false). */
    @Override
    public boolean isRunning() {
        Process running = process;
        return running != null && running.isAlive();
    }

    /** The pid of the broker's JVM while it runs. */
    @Override
    public OptionalLong pid() {
        Process running = process;
        return running != null && running.isAlive() ? OptionalLong.of(running.pid()) : OptionalLong.empty();
    }

    /** The exit code of a broker JVM that died on its own, if it did. */
    @Override
    public OptionalLong exitCode() {
        Process running = process;
        return running != null && !running.isAlive() ? OptionalLong.of(running.exitValue()) : OptionalLong.empty();
    }

    /** Its bootstrap servers. */
    @Override
    public String address() {
        return bootstrapServers();
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

    public Path logFile() {
        return logFile;
    }

    private List<String> commandLine(Path configFile, Path readyFile) {
        List<String> line = new ArrayList<>();
        line.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        line.addAll(jvmOptions);
        line.add("-D" + ParentWatch.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
        line.add("-Dlog4j2.configurationFile=kafka-broker-log4j2.xml");
        line.add("-Dlog4j2.shutdownHookEnabled=false");
        line.addAll(classpathTarget(KafkaBrokerMain.class.getName()));
        line.add(configFile.toString());
        line.add(readyFile.toString());
        return line;
    }

    /**
     * Our own classpath, which holds the Kafka artifacts. Inside a Spring Boot executable jar (the load
     * generator's) the classes are nested, so there the jar's {@code PropertiesLauncher} runs our main class.
     */
    static List<String> classpathTarget(String mainClass) {
        // absolute: the broker runs in its data dir, and run-local.sh passes a classpath relative to the checkout
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
        if (isBootJar(classpath)) {
            return List.of("-Dloader.main=" + mainClass, "-cp", classpath,
                    "org.springframework.boot.loader.launch.PropertiesLauncher");
        }
        return List.of("-cp", classpath, mainClass);
    }

    private static boolean isBootJar(String classpath) {
        if (classpath.contains(File.pathSeparator) || !classpath.endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(classpath)) {
            return jar.getEntry("BOOT-INF/") != null || jar.getEntry("BOOT-INF/lib/") != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitExit(Process running, Duration grace) {
        try {
            if (!running.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                running.toHandle().destroyForcibly();
                running.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            running.toHandle().destroyForcibly();
            Thread.currentThread().interrupt();
        }
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
        // the cleaner's dedupe buffer is allocated on the heap up front (default 128 MiB)
        p.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        return p;
    }

    /** Read by the broker's JVM, and by a person who wants to see how the broker is configured. */
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
}
