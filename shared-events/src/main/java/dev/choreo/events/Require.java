package dev.choreo.events;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Invariants checked in the events' constructors, so that an invalid event can neither be built by a producer
 * nor read by a consumer (Jackson reports the failure, and the record goes to the dead-letter topic).
 */
public final class Require {

    private Require() {
    }

    public static String text(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    public static <T> T present(T value, String name) {
        return Objects.requireNonNull(value, () -> name + " must not be null");
    }

    public static int positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
    }

    public static BigDecimal nonNegative(BigDecimal value, String name) {
        present(value, name);
        if (value.signum() < 0) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
        return value;
    }

    public static <T> List<T> nonEmpty(Collection<T> values, String name) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return List.copyOf(values);
    }
}
