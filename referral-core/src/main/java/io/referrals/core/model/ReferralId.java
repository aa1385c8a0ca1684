package io.referrals.core.model;

import java.util.UUID;

/**
 * Identifies a referral. Ids are opaque strings of 1-128 characters (letters, digits and {@code ._:@-}).
 *
 * @param value the id's text
 */
public record ReferralId(String value) {
    public ReferralId {
        Checks.id(value, "ReferralId");
    }

    /** Wraps an existing id. */
    public static ReferralId of(String value) {
        return new ReferralId(value);
    }

    /** A new random id. */
    public static ReferralId random() {
        return new ReferralId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
