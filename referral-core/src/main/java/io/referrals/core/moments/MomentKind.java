package io.referrals.core.moments;

/** The moments of delight a host reports: the right times to ask a customer for a referral. */
public enum MomentKind {
    /** A contract was just signed. */
    CONTRACT_SIGNED,
    /** A successful go-live or launch. */
    GO_LIVE,
    /** An answer to an NPS survey, with its score; 9-10 is a promoter, 7-8 passive, 0-6 a detractor. */
    NPS_ANSWER,
    /** The customer achieved a result with the product. */
    RESULT_ACHIEVED,
    /** A public review, or kind words said publicly or to the team. */
    PUBLIC_PRAISE,
    /** The customer renewed. */
    RENEWAL
}
