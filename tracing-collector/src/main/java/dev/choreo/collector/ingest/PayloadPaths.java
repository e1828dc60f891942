package dev.choreo.collector.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The payload fields the search indexes, each a small JSON path subset: {@code $.name}, nested {@code $.a.b}, and
 * {@code [*]} after a name for every element of an array ({@code $.lines[*].sku}, {@code $.unavailableSkus[*]}).
 * Read in the same streaming pass as the envelope, without building a tree: only the matching branches are walked.
 * String, number and boolean values count; at most {@link #MAX_VALUE_LENGTH} characters each.
 */
final class PayloadPaths {

    static final int MAX_VALUE_LENGTH = 200;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*(\\[\\*])?");

    /** The field an event's ending reads (the discriminator): collected like a search field, under this (blank) name. */
    static final String DISCRIMINATOR = "";

    private final List<Path> paths;

    /** @param fields search field name to its path */
    PayloadPaths(Map<String, String> fields) {
        List<Path> compiled = new ArrayList<>();
        fields.forEach((name, path) -> compiled.add(compile(name, path)));
        this.paths = List.copyOf(compiled);
    }

    boolean isEmpty() {
        return paths.isEmpty();
    }

    private static Path compile(String name, String path) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("a search field needs a name: " + path);
        }
        if (path == null || !path.startsWith("$.")) {
            throw new IllegalArgumentException("search field " + name + ": the path must start with '$.': " + path);
        }
        List<Segment> segments = new ArrayList<>();
        for (String segment : path.substring(2).split("\\.", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("search field " + name + ": '" + segment + "' in " + path
                        + " is not a field name, optionally followed by [*]");
            }
            boolean array = segment.endsWith("[*]");
            segments.add(new Segment(array ? segment.substring(0, segment.length() - 3) : segment, array));
        }
        return new Path(name.intern(), List.copyOf(segments));
    }

    /**
     * Walks the payload (the parser is at its first token) and adds {@code field, value} pairs to {@code found}; the
     * discriminator, when asked for, is added under {@link #DISCRIMINATOR}.
     */
    void read(JsonParser parser, JsonToken start, String discriminator, List<String> found) {
        List<Cursor> cursors = new ArrayList<>(paths.size() + 1);
        paths.forEach(path -> cursors.add(new Cursor(path, 0)));
        if (discriminator != null) {
            cursors.add(new Cursor(new Path(DISCRIMINATOR, List.of(new Segment(discriminator, false))), 0));
        }
        value(parser, start, cursors, found);
    }

    private static void value(JsonParser parser, JsonToken token, List<Cursor> cursors, List<String> found) {
        if (token.isScalarValue()) {
            String text = token == JsonToken.VALUE_NULL ? null : parser.getString();
            for (Cursor cursor : cursors) {
                if (cursor.done() && text != null && text.length() <= MAX_VALUE_LENGTH) {
                    found.add(cursor.path().field());
                    found.add(text);
                }
            }
            return;
        }
        List<Cursor> walking = cursors.stream().filter(cursor -> !cursor.done()).toList();
        if (token != JsonToken.START_OBJECT || walking.isEmpty()) {
            parser.skipChildren();
            return;
        }
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
            JsonToken next = parser.nextToken();
            List<Cursor> intoArray = new ArrayList<>();
            List<Cursor> into = new ArrayList<>();
            for (Cursor cursor : walking) {
                Segment segment = cursor.path().segments().get(cursor.depth());
                if (segment.name().equals(name)) {
                    (segment.array() ? intoArray : into).add(new Cursor(cursor.path(), cursor.depth() + 1));
                }
            }
            if (next == JsonToken.START_ARRAY && !intoArray.isEmpty()) {
                for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
                    value(parser, element, intoArray, found);
                }
            } else if (!into.isEmpty()) {
                value(parser, next, into, found);
            } else {
                parser.skipChildren();
            }
        }
    }

    private record Segment(String name, boolean array) {
    }

    private record Path(String field, List<Segment> segments) {
    }

    private record Cursor(Path path, int depth) {

        boolean done() {
            return depth == path.segments().size();
        }
    }
}
