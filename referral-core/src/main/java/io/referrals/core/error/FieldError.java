package io.referrals.core.error;

import java.util.Objects;

/**
 * One rejected input field.
 *
 * @param field the path of the field, for example {@code prospect.email}
 * @param code a stable machine-readable code, for example {@code malformed} or {@code too_long}
 * @param message a human-readable explanation that never repeats the rejected value
 */
public record FieldError(String field, String code, String message) {
    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field + ": " + message + " (" + code + ")";
    }
}
