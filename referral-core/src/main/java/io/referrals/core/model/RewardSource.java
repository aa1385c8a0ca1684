package io.referrals.core.model;

import java.util.Objects;

/**
 * What a reward was earned for.
 *
 * @param kind a referral, a contest, a host-defined event or a redemption from the catalogue
 * @param id the referral id, contest id, event id or redemption id
 */
public record RewardSource(Kind kind, String id) {
    /** Kinds of source. */
    public enum Kind {
        REFERRAL, CONTEST, CUSTOM_EVENT, REDEMPTION
    }

    public RewardSource {
        Objects.requireNonNull(kind, "kind");
        Checks.required(id, "id");
    }

    public static RewardSource referral(ReferralId id) {
        return new RewardSource(Kind.REFERRAL, id.value());
    }
}
