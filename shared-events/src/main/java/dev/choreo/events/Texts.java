package dev.choreo.events;

/** Fitting texts a service composes (a reason that quotes another event's reason) into their {@link Limits}. */
public final class Texts {

    private static final String ELLIPSIS = "…";

    private Texts() {
    }

    /**
     * The text itself if it fits, else its beginning and an ellipsis, {@code maxLength} characters in all: a reason
     * that grew by quoting another is cut rather than failing the reaction that composed it.
     */
    public static String abbreviate(String text, int maxLength) {
        if (maxLength < ELLIPSIS.length() + 1) {
            throw new IllegalArgumentException("maxLength must be at least " + (ELLIPSIS.length() + 1));
        }
        if (text == null || text.length() <= maxLength) {
            return text;
        }
        int end = maxLength - ELLIPSIS.length();
        // never split a surrogate pair
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + ELLIPSIS;
    }
}
