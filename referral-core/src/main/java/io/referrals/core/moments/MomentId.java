package io.referrals.core.moments;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Identifies a moment of delight. Ids are opaque strings of 1-128 characters (letters, digits and
 * {@code ._:@-}). A host may derive it from its own event id, which makes recording a moment idempotent.
 *
 * @param value the id's text
 */
public record MomentId(String value) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    public MomentId {
        Objects.requireNonNull(value, "MomentId");
        if (!ID.matcher(value).matches()) {
            throw new IllegalArgumentException("MomentId must be 1-128 characters of letters, digits and ._:@- "
                    + "starting with a letter or digit");
        }
    }

    /** Wraps an existing id. */
    public static MomentId of(String value) {
        return new MomentId(value);
    }

    /** A new random id. */
    public static MomentId random() {
        return new MomentId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
