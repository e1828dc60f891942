package dev.choreo.loadgen;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Command-line options: {@code --name value}, {@code --name=value} and bare flags ({@code --max}). Every option
 * must be read by the command, so a typo is an error instead of being silently ignored.
 */
final class Args {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> read = new LinkedHashSet<>();
    private final List<String> positional = new ArrayList<>();

    private Args() {
    }

    /**
     * @param flags option names that never take a value
     */
    static Args parse(List<String> args, Set<String> flags) {
        Args parsed = new Args();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                parsed.positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (flags.contains(name) || name.startsWith("no-")) {
                value = "true";
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            parsed.values.put(name, value);
        }
        return parsed;
    }

    List<String> positional() {
        return positional;
    }

    boolean has(String name) {
        read.add(name);
        return values.containsKey(name);
    }

    Optional<String> string(String name) {
        read.add(name);
        return Optional.ofNullable(values.get(name));
    }

    String string(String name, String fallback) {
        return string(name).orElse(fallback);
    }

    boolean flag(String name) {
        return string(name).map(value -> !value.equalsIgnoreCase("false")).orElse(false);
    }

    int integer(String name, int fallback) {
        return string(name).map(value -> parseInt(name, value)).orElse(fallback);
    }

    long longValue(String name, long fallback) {
        return string(name).map(value -> {
            try {
                return Long.parseLong(value.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a whole number, not '" + value + "'");
            }
        }).orElse(fallback);
    }

    double decimal(String name, double fallback) {
        return string(name).map(value -> {
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a number, not '" + value + "'");
            }
        }).orElse(fallback);
    }

    Duration duration(String name, Duration fallback) {
        return string(name).map(value -> parseDuration(name, value)).orElse(fallback);
    }

    /** Every option whose name starts with {@code prefix}, by the rest of its name. */
    Map<String, String> withPrefix(String prefix) {
        Map<String, String> found = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                read.add(name);
                found.put(name.substring(prefix.length()), value);
            }
        });
        return found;
    }

    /** All {@code --no-<x>} flags given, as {@code x}. */
    List<String> negated() {
        List<String> names = new ArrayList<>();
        values.keySet().stream().filter(name -> name.startsWith("no-")).forEach(name -> {
            read.add(name);
            names.add(name.substring(3));
        });
        return names;
    }

    /** Fails on any option the command did not ask for. Call after reading every option. */
    void requireAllRead() {
        List<String> unknown = values.keySet().stream().filter(name -> !read.contains(name)).map(n -> "--" + n).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown option(s): " + String.join(", ", unknown));
        }
    }

    static Duration parseDuration(String name, String value) {
        Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("--" + name + " must be a duration such as 500ms, 60s, 2m; not '" + value + "'");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> amount;
            case "s" -> amount * 1_000;
            case "m" -> amount * 60_000;
            default -> amount * 3_600_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, not '" + value + "'");
        }
    }
}
