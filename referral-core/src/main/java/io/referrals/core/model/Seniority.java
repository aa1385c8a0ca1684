package io.referrals.core.model;

/** A prospect's seniority, ordered from unknown to the top of the organisation; compare with {@link #isAtLeast}. */
public enum Seniority {
    UNKNOWN, INDIVIDUAL_CONTRIBUTOR, MANAGER, DIRECTOR, VP, C_LEVEL;

    /** True when this seniority is the given level or above; {@link #UNKNOWN} is never at least anything else. */
    public boolean isAtLeast(Seniority level) {
        return this != UNKNOWN && compareTo(level) >= 0;
    }
}
