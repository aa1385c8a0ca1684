package io.referrals.core.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** Argument checks shared by the value types of this package. */
final class Checks {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    private Checks() {
    }

    static String id(String value, String kind) {
        Objects.requireNonNull(value, kind);
        if (!ID.matcher(value).matches()) {
            throw new IllegalArgumentException(kind + " must be 1-128 characters of letters, digits and ._:@- "
                    + "starting with a letter or digit");
        }
        return value;
    }

    static String text(String value) {
        return value == null ? "" : value;
    }

    static String required(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    static long nonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
        return value;
    }
}
