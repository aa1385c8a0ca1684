package io.referrals.core.eligibility;

/** What a prospect already is to the host, according to the host's {@link ProspectLookup}. */
public enum Relationship {
    NONE, LEAD, CUSTOMER
}
