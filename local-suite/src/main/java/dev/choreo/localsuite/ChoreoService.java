package dev.choreo.localsuite;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The services of the suite: the one place their module names and default ports are written down. */
public enum ChoreoService {

    ORDER("order-service", 8081),
    INVENTORY("inventory-service", 8082),
    PAYMENT("payment-service", 8083),
    SHIPPING("shipping-service", 8084),
    NOTIFICATION("notification-service", 8085),
    TRACING_COLLECTOR("tracing-collector", 8086);

    /**
     * JVM options for a service run on a developer machine or in the end-to-end tests: six of them share two
     * cores, so a small heap and the quick-starting C1 compiler (slower peak throughput: not for load tests).
     */
    public static final List<String> DEFAULT_JVM_OPTIONS =
            List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final String moduleName;
    private final int defaultPort;

    ChoreoService(String moduleName, int defaultPort) {
        this.moduleName = moduleName;
        this.defaultPort = defaultPort;
    }

    /** The Maven module, and the name used in logs, on the console and in {@code --no-<name>}. */
    public String moduleName() {
        return moduleName;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** Every service but the collector keeps its state in a database (the collector's is its topics). */
    public boolean hasDatabase() {
        return this != TRACING_COLLECTOR;
    }

    public static Optional<ChoreoService> byModuleName(String name) {
        return Arrays.stream(values()).filter(service -> service.moduleName.equals(name)).findFirst();
    }
}
