package io.referrals.core.model;

/** How a referral reached the host. */
public enum Channel {
    /** The advocate filled in a referral form. */
    REFERRAL_FORM,
    /** The advocate introduced the prospect by email. */
    DIRECT_EMAIL,
    /** A message on a social network. */
    SOCIAL_MESSAGE,
    /** The prospect arrived through the advocate's referral link or typed their code. */
    LINK_OR_CODE,
    /** A sales rep registered the referral on the advocate's behalf; the rep is recorded. */
    SALES_REP,
    /** A partner registered the referral in a partner portal. */
    PARTNER_PORTAL,
    /** Loaded from historical data. */
    IMPORT
}
