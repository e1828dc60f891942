package dev.choreo.localsuite;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tiny stand-in for a service jar, launched in its own JVM by the launcher's tests. It honours the part of the
 * service runtime contract the launcher relies on: {@code --server.port}, {@code GET /actuator/health} and
 * {@code GET /actuator/health/readiness} answering {@code {"status":"UP"}}. {@code GET /args} echoes its arguments,
 * one per line, so tests can check what it was given. {@code --stand-in.fail-on-start=<code>} makes it print a
 * failure and exit with that code instead; {@code --stand-in.ready-when=<file>} keeps its readiness at 503
 * OUT_OF_SERVICE (its health UP) until that file exists, as a service still catching up answers.
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
        Optional<Path> readyWhen = option(args, "stand-in.ready-when").map(Path::of);
        server.createContext("/actuator/health", exchange -> respond(exchange, 200, "{\"status\":\"UP\"}"));
        server.createContext("/actuator/health/readiness", exchange -> {
            if (readyWhen.isEmpty() || Files.exists(readyWhen.get())) {
                respond(exchange, 200, "{\"status\":\"UP\"}");
            } else {
                respond(exchange, 503, "{\"status\":\"OUT_OF_SERVICE\",\"details\":\"waiting for " + readyWhen.get() + "\"}");
            }
        });
        server.createContext("/args", exchange -> respond(exchange, 200, String.join("\n", args)));
        server.start();
        System.out.println("stand-in listening on port " + port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("stand-in shutting down")));
    }

    private static Optional<String> option(String[] args, String key) {
        String prefix = "--" + key + "=";
        return Arrays.stream(args).filter(arg -> arg.startsWith(prefix)).map(arg -> arg.substring(prefix.length())).reduce((a, b) -> b);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
