package io.referrals.rules.definition;

import java.util.Objects;
import java.util.regex.Pattern;

/** Checks on the names used in rules: rule ids, event types, tiers, limit keys. */
final class Names {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private Names() {
    }

    static boolean isName(String value) {
        return value != null && NAME.matcher(value).matches();
    }

    static String requireName(String value, String what) {
        Objects.requireNonNull(value, what);
        if (!isName(value)) {
            throw new IllegalArgumentException(what + " must be 1-64 lower-case letters, digits and _.- : " + value);
        }
        return value;
    }
}
