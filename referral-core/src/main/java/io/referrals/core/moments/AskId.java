package io.referrals.core.moments;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Identifies an ask for a referral. Ids are opaque strings of 1-128 characters (letters, digits and
 * {@code ._:@-}).
 *
 * @param value the id's text
 */
public record AskId(String value) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    public AskId {
        Objects.requireNonNull(value, "AskId");
        if (!ID.matcher(value).matches()) {
            throw new IllegalArgumentException("AskId must be 1-128 characters of letters, digits and ._:@- "
                    + "starting with a letter or digit");
        }
    }

    /** Wraps an existing id. */
    public static AskId of(String value) {
        return new AskId(value);
    }

    /** A new random id. */
    public static AskId random() {
        return new AskId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
