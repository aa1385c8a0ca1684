package io.referrals.core.model;

/** What a terminal stage means for the referral. */
public enum Outcome {
    /** The prospect became a customer. */
    WON,
    /** The opportunity was lost. */
    LOST,
    /** The referral was turned down: duplicate, self-referral, not a fit. */
    REJECTED
}
