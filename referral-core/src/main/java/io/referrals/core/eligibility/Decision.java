package io.referrals.core.eligibility;

/** What a program does with a referral that a check objected to. */
public enum Decision {
    /** Record the referral as rejected: it never earns rewards. */
    REJECT,
    /** Record the referral held for review: its rewards stay pending until the host approves it. */
    FLAG,
    /** Ignore the finding. */
    ALLOW
}
