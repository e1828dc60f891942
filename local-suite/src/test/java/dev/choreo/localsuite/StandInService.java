package dev.choreo.localsuite;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tiny stand-in for a service jar, launched in its own JVM by the launcher's tests. It honours the part of the
 * service runtime contract the launcher relies on: {@code --server.port}, {@code GET /actuator/health} answering
 * {@code {"status":"UP"}}. {@code GET /args} echoes its arguments, one per line, so tests can check what it was
 * given. {@code --stand-in.fail-on-start=<code>} makes it print a failure and exit with that code instead.
 *
 * <p>Only JDK classes here: its JVM has nothing but the test classes on the classpath.
 */
public final class StandInService {

    public static void main(String[] args) throws IOException {
        Optional<String> failWith = option(args, "stand-in.fail-on-start");
        if (failWith.isPresent()) {
            System.out.println("Starting stand-in service");
            System.err.println("APPLICATION FAILED TO START: port already in use (simulated)");
            System.exit(Integer.parseInt(failWith.get()));
        }
        int port = Integer.parseInt(option(args, "server.port").orElseThrow());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/actuator/health", exchange -> respond(exchange, "{\"status\":\"UP\"}"));
        server.createContext("/args", exchange -> respond(exchange, String.join("\n", args)));
        server.start();
        System.out.println("stand-in listening on port " + port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("stand-in shutting down")));
    }

    private static Optional<String> option(String[] args, String key) {
        String prefix = "--" + key + "=";
        return Arrays.stream(args).filter(arg -> arg.startsWith(prefix)).map(arg -> arg.substring(prefix.length())).reduce((a, b) -> b);
    }

    private static void respond(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
