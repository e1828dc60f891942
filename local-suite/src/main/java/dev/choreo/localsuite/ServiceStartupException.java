package dev.choreo.localsuite;

import java.nio.file.Path;
import java.util.List;

/** A service did not come up: says which one, why, where its log is, and how its log ends. */
public final class ServiceStartupException extends RuntimeException {

    private final String service;
    private final Path logFile;

    ServiceStartupException(String service, String reason, Path logFile, List<String> lastLines) {
        super(message(service, reason, logFile, lastLines));
        this.service = service;
        this.logFile = logFile;
    }

    public String service() {
        return service;
    }

    public Path logFile() {
        return logFile;
    }

    private static String message(String service, String reason, Path logFile, List<String> lastLines) {
        StringBuilder text = new StringBuilder()
                .append(service).append(" failed to start: ").append(reason).append(System.lineSeparator())
                .append("  log: ").append(logFile).append(System.lineSeparator());
        if (lastLines.isEmpty()) {
            text.append("  (it printed nothing)");
        } else {
            text.append("  last ").append(lastLines.size()).append(" lines:");
            lastLines.forEach(line -> text.append(System.lineSeparator()).append("  | ").append(line));
        }
        return text.toString();
    }
}
