package io.referrals.core.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Why something happened, was refused or was held back: a stable code for programs and a text safe to show the
 * advocate (it never
 * contains the prospect's personal data).
 *
 * @param code a lower-case snake-case code, for example {@code program_paused}
 * @param text an explanation for the advocate
 */
public record Reason(String code, String text) {
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    public Reason {
        Objects.requireNonNull(code, "code");
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("reason code must be lower-case snake case: " + code);
        }
        Checks.required(text, "text");
    }

    public static Reason of(String code, String text) {
        return new Reason(code, text);
    }
}
