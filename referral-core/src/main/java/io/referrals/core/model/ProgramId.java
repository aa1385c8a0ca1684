package io.referrals.core.model;

import java.util.UUID;

/**
 * Identifies a program. Ids are opaque strings of 1-128 characters (letters, digits and {@code ._:@-}).
 *
 * @param value the id's text
 */
public record ProgramId(String value) {
    public ProgramId {
        Checks.id(value, "ProgramId");
    }

    /** Wraps an existing id. */
    public static ProgramId of(String value) {
        return new ProgramId(value);
    }

    /** A new random id. */
    public static ProgramId random() {
        return new ProgramId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
