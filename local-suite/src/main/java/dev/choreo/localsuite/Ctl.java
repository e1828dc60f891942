package dev.choreo.localsuite;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code ./run-local.sh ctl <action> [name] [count]}: a client of the running launcher's {@link ControlServer}.
 * Prints the answer; exits 0 when the launcher did it, 1 otherwise.
 */
public final class Ctl {

    static final String USAGE = """
            Usage: ./run-local.sh ctl <action> [name] [count]
              status                     every broker/service: state, pid, address, restarts
              health                     what runs, what is ready, consumer lag per service, open and
                                         stuck processes: the first thing to run when something looks wrong
              kill-9  <name>             SIGKILL (with --supervise the launcher restarts it)
              stop    <name>             graceful stop; stays down until start
              start   <name>             start it again; returns once it is healthy
              restart <name>             stop + start
              pause   <name>             SIGSTOP (a hung process); resume sends SIGCONT
              resume  <name>
              scale   <service> <count>  run count instances (service#2 ... on free ports, same consumer group)
            <name> is kafka, postgres (with --postgres), a service (e.g. payment-service) or an extra instance
            (payment-service#2).
            Options: --port=<control port> (default: read from .local-run/control.port)
            """;

    private Ctl() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> words = new ArrayList<>(Arrays.asList(args));
        Integer port = null;
        for (String word : List.copyOf(words)) {
            if (word.startsWith("--port=")) {
                port = Integer.parseInt(word.substring("--port=".length()));
                words.remove(word);
            }
        }
        if (words.isEmpty() || words.get(0).equals("--help") || words.get(0).equals("-h")) {
            System.out.print(USAGE);
            System.exit(words.isEmpty() ? 2 : 0);
        }
        try {
            int controlPort = port != null ? port : readPort(RepoLayout.locate().localRunDir().resolve("control.port"));
            HttpResponse<String> response = send(controlPort, words);
            System.out.print(response.body());
            System.exit(response.statusCode() / 100 == 2 ? 0 : 1);
        } catch (IOException | IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    /** Sends one command; public for scripts written in Java (the chaos command). */
    public static HttpResponse<String> send(int controlPort, List<String> words) throws IOException, InterruptedException {
        boolean status = words.get(0).equals("status") || words.get(0).equals("health");
        String path = words.stream().map(word -> URLEncoder.encode(word, StandardCharsets.UTF_8))
                .collect(Collectors.joining("/", "/", ""));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPort + path))
                .timeout(Duration.ofMinutes(5));
        request = status ? request.GET() : request.POST(HttpRequest.BodyPublishers.noBody());
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IOException("No launcher answers on 127.0.0.1:" + controlPort + ": is ./run-local.sh running?", e);
        }
    }

    private static int readPort(Path portFile) throws IOException {
        try {
            return Integer.parseInt(Files.readString(portFile).trim());
        } catch (NoSuchFileException e) {
            throw new IOException("No " + portFile + ": is ./run-local.sh running?", e);
        }
    }
}
