package io.referrals.core.moments;

/** Where an ask for a referral stands: {@code PENDING}, then exactly one of the outcomes. */
public enum AskStatus {
    /** Asked, no outcome yet. An advocate has at most one pending ask per program. */
    PENDING,
    /** The advocate referred someone. */
    REFERRED,
    /** The advocate said no. */
    DECLINED,
    /** The advocate never answered. */
    NO_RESPONSE;

    /** True for the outcomes. */
    public boolean isResolved() {
        return this != PENDING;
    }
}
