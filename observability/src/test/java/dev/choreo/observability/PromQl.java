package dev.choreo.observability;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough PromQL handling for the tests: Grafana's variables and the metric names an expression reads. */
final class PromQl {

    private static final Pattern GRAFANA_RANGE_VARIABLES =
            Pattern.compile("\\$\\{?(__rate_interval|__interval|__range)}?");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "offset", "and", "or", "unless", "atan2", "inf", "nan", "Inf", "NaN");

    private PromQl() {
    }

    /** The expression as Grafana would send it, with its range variables set to {@code window} (e.g. "5m"). */
    static String forEvaluation(String expr, String window) {
        return GRAFANA_RANGE_VARIABLES.matcher(expr).replaceAll(window);
    }

    /** Names of the metrics an expression selects (identifiers that are neither functions, keywords nor labels). */
    static Set<String> metricNames(String expr) {
        String text = STRING.matcher(expr).replaceAll("\"\"");
        text = text.replaceAll("\\{[^}]*}", " ");
        text = text.replaceAll("\\[[^\\]]*]", " ");
        text = GROUPING.matcher(text).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher identifier = IDENTIFIER.matcher(text);
        while (identifier.find()) {
            if (identifier.start() > 0 && Character.isDigit(text.charAt(identifier.start() - 1))) {
                continue; // part of a number or duration such as 1e3 or 5m
            }
            String name = identifier.group();
            if (KEYWORDS.contains(name) || nextNonBlank(text, identifier.end()) == '(') {
                continue;
            }
            names.add(name);
        }
        return names;
    }

    private static char nextNonBlank(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return text.charAt(i);
            }
        }
        return 0;
    }
}
