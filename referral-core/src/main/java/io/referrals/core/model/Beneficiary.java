package io.referrals.core.model;

/** Which side of a dual-sided incentive a reward goes to. */
public enum Beneficiary {
    /** The advocate who referred. */
    ADVOCATE,
    /** The referred party (the prospect's company). */
    REFERRED_PARTY
}
