package dev.choreo.events;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Invariants checked in the events' constructors, so that an invalid event can neither be built by a producer
 * nor read by a consumer (Jackson reports the failure, and the record goes to the dead-letter topic). Every text,
 * list and amount is bounded (see {@link Limits}); the messages name the field and the limit, never the value,
 * which may be hostile or personal.
 */
public final class Require {

    private Require() {
    }

    /** Not blank, at most {@code maxLength} characters. */
    public static String text(String value, String name, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return bounded(value, name, maxLength);
    }

    public static <T> T present(T value, String name) {
        return Objects.requireNonNull(value, () -> name + " must not be null");
    }

    /** From 1 to {@code max}. */
    public static int positive(int value, String name, int max) {
        if (value <= 0 || value > max) {
            throw new IllegalArgumentException(name + " must be between 1 and " + max);
        }
        return value;
    }

    /**
     * A money amount: not negative, at most {@link Limits#MAX_AMOUNT}, at most {@link Limits#AMOUNT_FRACTION_DIGITS}
     * decimals. The magnitude is checked first and costs nothing whatever the exponent: {@code 1e999999999} is
     * refused before anything expands it ({@code toPlainString()} would build a billion characters).
     */
    public static BigDecimal money(BigDecimal value, String name) {
        present(value, name);
        if (value.signum() < 0) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
        // compareTo looks at the exponents before the digits
        if (value.compareTo(Limits.MAX_AMOUNT) > 0) {
            throw new IllegalArgumentException(name + " must not exceed " + Limits.MAX_AMOUNT_TEXT);
        }
        // 10.500 is 10.50; below the maximum, stripping the zeros is cheap
        if (value.scale() > Limits.AMOUNT_FRACTION_DIGITS
                && value.stripTrailingZeros().scale() > Limits.AMOUNT_FRACTION_DIGITS) {
            throw new IllegalArgumentException(name + " must not have more than " + Limits.AMOUNT_FRACTION_DIGITS
                    + " decimals");
        }
        return value;
    }

    /** At least one and at most {@code maxSize} elements, none null; an immutable copy. */
    public static <T> List<T> nonEmpty(Collection<T> values, String name, int maxSize) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return bounded(values, name, maxSize);
    }

    /** {@code null} (read as empty) or at most {@code maxSize} elements, none null; an immutable copy. */
    public static <T> List<T> optionalList(Collection<T> values, String name, int maxSize) {
        return values == null ? List.of() : bounded(values, name, maxSize);
    }

    private static String bounded(String value, String name, int maxLength) {
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(name + " must not be longer than " + maxLength + " characters");
        }
        return value;
    }

    private static <T> List<T> bounded(Collection<T> values, String name, int maxSize) {
        if (values.size() > maxSize) {
            throw new IllegalArgumentException(name + " must not have more than " + maxSize + " elements");
        }
        if (values.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException(name + " must not contain null");
        }
        return List.copyOf(values);
    }
}
