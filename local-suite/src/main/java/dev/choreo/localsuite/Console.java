package dev.choreo.localsuite;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The combined console: the launcher's own status lines, plus the services' output as {@link ServiceOutput} says,
 * each line prefixed with its service name in a fixed-width coloured column (like docker compose). Thread-safe: one
 * pump thread per service writes here.
 */
public final class Console {

    /** How much of the services' output the console shows; all of it is always in their log files. */
    public enum ServiceOutput {
        /** Everything ({@code --verbose}). */
        ALL,
        /** Warnings and errors, with the lines that follow them (a stack trace): the default. */
        PROBLEMS,
        /** Nothing ({@code --quiet}). */
        NONE
    }

    /** Spring Boot's console log line: {@code 2026-12-06T06:10:30.543Z  WARN 23491 --- [...]}. */
    private static final Pattern LOG_LINE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}[T ]\\S+\\s+(TRACE|DEBUG|INFO|WARN|ERROR)\\s");

    /** Wide enough for the longest service name, "notification-service". */
    private static final int NAME_WIDTH = 20;
    private static final String RESET = "\u001B[0m";
    private static final String BOLD = "\u001B[1m";
    private static final String RED = "\u001B[31m";
    private static final String[] PALETTE = {
            "\u001B[36m", "\u001B[32m", "\u001B[33m", "\u001B[35m", "\u001B[34m", "\u001B[96m", "\u001B[92m", "\u001B[93m"};

    private final PrintStream out;
    private final boolean colour;
    private final ServiceOutput serviceOutput;
    private final Map<String, String> colourByName = new ConcurrentHashMap<>();
    /** Per service: was its last log line a warning or an error (so the lines that continue it are shown too)? */
    private final Map<String, Boolean> inProblem = new ConcurrentHashMap<>();
    private final AtomicInteger nextColour = new AtomicInteger();

    public Console(PrintStream out, boolean colour, ServiceOutput serviceOutput) {
        this.out = out;
        this.colour = colour;
        this.serviceOutput = serviceOutput;
    }

    /** Colour only on a real terminal, and never when the user asked for none (https://no-color.org). */
    public static Console forTerminal(ServiceOutput serviceOutput) {
        boolean colour = System.console() != null && System.getenv("NO_COLOR") == null;
        return new Console(System.out, colour, serviceOutput);
    }

    /** One line a service printed: shown as {@link ServiceOutput} says (it is always in the log file). */
    public void serviceOutput(String service, String line) {
        if (shows(service, line)) {
            print(prefix(service) + " | " + line);
        }
    }

    private boolean shows(String service, String line) {
        return switch (serviceOutput) {
            case ALL -> true;
            case NONE -> false;
            case PROBLEMS -> {
                Matcher log = LOG_LINE.matcher(line);
                if (log.find()) {
                    inProblem.put(service, log.group(1).equals("WARN") || log.group(1).equals("ERROR"));
                }
                yield inProblem.getOrDefault(service, false);
            }
        };
    }

    /** A launcher message about one service, e.g. {@code inventory-service   UP in 7.9 s}. */
    public void serviceStatus(String service, String text) {
        print(prefix(service) + "   " + style(BOLD, text));
    }

    public void info(String text) {
        print(text);
    }

    public void error(String text) {
        print(style(RED, text));
    }

    private String prefix(String service) {
        String padded = String.format("%-" + NAME_WIDTH + "s", service);
        return colour ? colourOf(service) + padded + RESET : padded;
    }

    private String colourOf(String service) {
        return colourByName.computeIfAbsent(service, name -> PALETTE[nextColour.getAndIncrement() % PALETTE.length]);
    }

    private String style(String code, String text) {
        return colour ? code + text + RESET : text;
    }

    private synchronized void print(String line) {
        out.println(line);
    }
}
