package io.referrals.core.model;

import java.util.UUID;

/**
 * Identifies a reward. Ids are opaque strings of 1-128 characters (letters, digits and {@code ._:@-}).
 *
 * @param value the id's text
 */
public record RewardId(String value) {
    public RewardId {
        Checks.id(value, "RewardId");
    }

    /** Wraps an existing id. */
    public static RewardId of(String value) {
        return new RewardId(value);
    }

    /** A new random id. */
    public static RewardId random() {
        return new RewardId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
