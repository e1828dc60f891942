package dev.choreo.localsuite;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The running launcher's control endpoint, on 127.0.0.1 only, for people ({@code curl}) and scripts
 * ({@code ./run-local.sh ctl ...}, the chaos command). Plain text in and out:
 *
 * <pre>
 * GET  /status                       one line per broker/service: state, pid, address, restarts
 * GET  /health                       what runs, what is ready, consumer lag, open and stuck processes ({@link HealthSummary})
 * POST /kill-9/{name}                SIGKILL (the supervisor restarts it, if supervising)
 * POST /stop/{name}                  graceful stop; stays down
 * POST /start/{name}                 start a stopped one; answers once it is healthy
 * POST /restart/{name}               stop + start
 * POST /pause/{name}                 SIGSTOP (a hung process)
 * POST /resume/{name}                SIGCONT
 * POST /scale/{service}/{count}      run count instances (name#2 ... on free ports, same consumer group)
 * </pre>
 *
 * {@code name} is {@code kafka}, a service's module name, or an extra instance such as {@code payment-service#2}
 * ({@code %23} in a URL). Answers 200, 404 for an unknown name, 400 for a bad request, 500 if the action failed.
 * The port is written to {@code <run dir>/control.port} for the clients.
 */
public final class ControlServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "control");
        thread.setDaemon(true);
        return thread;
    });
    private final Path portFile;

    private ControlServer(HttpServer server, Path portFile) {
        this.server = server;
        this.portFile = portFile;
    }

    /**
     * Serves on 127.0.0.1:{@code port} (0: a free one) and writes the port to {@code portFile} (if not null).
     *
     * @param operatorAuthorization the Authorization header {@code /health} asks the collector with (null: none)
     */
    public static ControlServer start(Supervisor supervisor, int port, Path portFile, String operatorAuthorization) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the control endpoint on 127.0.0.1:" + port, e);
        }
        ControlServer control = new ControlServer(http, portFile);
        http.setExecutor(control.handlers);
        http.createContext("/", exchange -> control.handle(supervisor, operatorAuthorization, exchange));
        http.start();
        if (portFile != null) {
            try {
                Files.writeString(portFile, String.valueOf(control.port()));
            } catch (IOException e) {
                control.close();
                throw new UncheckedIOException("Cannot write " + portFile, e);
            }
        }
        return control;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    private void handle(Supervisor supervisor, String operatorAuthorization, HttpExchange exchange)
            throws IOException {
        String[] parts = exchange.getRequestURI().getPath().replaceAll("^/+|/+$", "").split("/");
        String method = exchange.getRequestMethod();
        try {
            if (parts.length == 1 && parts[0].equals("status") && method.equals("GET")) {
                respond(exchange, 200, supervisor.status());
                return;
            }
            if (parts.length == 1 && parts[0].equals("health") && method.equals("GET")) {
                respond(exchange, 200, new HealthSummary(supervisor, operatorAuthorization).render());
                return;
            }
            if (!method.equals("POST")) {
                respond(exchange, 405, "Use POST for actions, GET /status or /health to look\n");
                return;
            }
            String action = parts[0];
            String name = parts.length > 1 ? parts[1] : "";
            String answer = switch (action + "/" + parts.length) {
                case "kill-9/2" -> supervisor.kill9(name);
                case "stop/2" -> supervisor.stop(name);
                case "start/2" -> supervisor.start(name);
                case "restart/2" -> supervisor.restart(name);
                case "pause/2" -> supervisor.pause(name);
                case "resume/2" -> supervisor.resume(name);
                case "scale/3" -> supervisor.scale(name, parseCount(parts[2]));
                default -> throw new IllegalArgumentException("Unknown action " + exchange.getRequestURI().getPath()
                        + "; see GET /status and local-suite/README.md");
            };
            respond(exchange, 200, answer + "\n");
        } catch (NoSuchElementException e) {
            respond(exchange, 404, e.getMessage() + "\n");
        } catch (IllegalArgumentException e) {
            respond(exchange, 400, e.getMessage() + "\n");
        } catch (RuntimeException e) {
            respond(exchange, 500, e.getMessage() + "\n");
        }
    }

    private static int parseCount(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a number of instances: " + text);
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        if (portFile != null) {
            try {
                Files.deleteIfExists(portFile);
            } catch (IOException ignored) {
                // a stale port file only makes the next ctl call fail to connect
            }
        }
    }
}
