package dev.choreo.localsuite;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The combined console: every service's output, each line prefixed with its service name in a fixed-width
 * coloured column (like docker compose), plus the launcher's own status lines. Thread-safe: one pump thread per
 * service writes here.
 */
public final class Console {

    /** Wide enough for the longest service name, "notification-service". */
    private static final int NAME_WIDTH = 20;
    private static final String RESET = "\u001B[0m";
    private static final String BOLD = "\u001B[1m";
    private static final String RED = "\u001B[31m";
    private static final String[] PALETTE = {
            "\u001B[36m", "\u001B[32m", "\u001B[33m", "\u001B[35m", "\u001B[34m", "\u001B[96m", "\u001B[92m", "\u001B[93m"};

    private final PrintStream out;
    private final boolean colour;
    private final boolean echoServiceOutput;
    private final Map<String, String> colourByName = new ConcurrentHashMap<>();
    private final AtomicInteger nextColour = new AtomicInteger();

    public Console(PrintStream out, boolean colour, boolean echoServiceOutput) {
        this.out = out;
        this.colour = colour;
        this.echoServiceOutput = echoServiceOutput;
    }

    /** Colour only on a real terminal, and never when the user asked for none (https://no-color.org). */
    public static Console forTerminal(boolean echoServiceOutput) {
        boolean colour = System.console() != null && System.getenv("NO_COLOR") == null;
        return new Console(System.out, colour, echoServiceOutput);
    }

    /** One line a service printed; shown only when service output is echoed (it is always in the log file). */
    public void serviceOutput(String service, String line) {
        if (echoServiceOutput) {
            print(prefix(service) + " | " + line);
        }
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
