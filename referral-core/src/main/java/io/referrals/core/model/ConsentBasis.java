package io.referrals.core.model;

/**
 * The basis on which a prospect may be contacted, recorded at capture. Only {@link #NONE} forbids contact; events that
 * would lead to contacting the prospect say which basis applies.
 */
public enum ConsentBasis {
    /** The prospect agreed to be contacted. */
    PROSPECT_CONSENT,
    /** The advocate introduced the prospect, who expects the contact. */
    ADVOCATE_INTRODUCTION,
    /** A documented legitimate interest of the host. */
    LEGITIMATE_INTEREST,
    /** The prospect is already in a relationship with the host. */
    EXISTING_RELATIONSHIP,
    /** No basis: the referral is recorded but the prospect must not be contacted. */
    NONE;

    /** True unless this is {@link #NONE}. */
    public boolean allowsContact() {
        return this != NONE;
    }
}
