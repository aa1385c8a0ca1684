package io.referrals.core.model;

import java.util.UUID;

/**
 * Identifies an advocate. Ids are opaque strings of 1-128 characters (letters, digits and {@code ._:@-}).
 *
 * @param value the id's text
 */
public record AdvocateId(String value) {
    public AdvocateId {
        Checks.id(value, "AdvocateId");
    }

    /** Wraps an existing id. */
    public static AdvocateId of(String value) {
        return new AdvocateId(value);
    }

    /** A new random id. */
    public static AdvocateId random() {
        return new AdvocateId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
