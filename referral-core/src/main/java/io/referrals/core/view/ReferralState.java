package io.referrals.core.view;

/**
 * Where a referral stands, as an advocate understands it, whatever the program's own stages are.
 */
public enum ReferralState {
    /** Received; nobody has acted on it yet (the program's first stage). */
    SUBMITTED,
    /** Held for review by eligibility or fraud checks; its rewards wait for the decision. */
    UNDER_REVIEW,
    /** Being worked on: past the first stage, not yet closed. */
    IN_PROGRESS,
    /** The prospect became a customer. */
    WON,
    /** Lost, rejected (a duplicate, a self-referral, not a fit) or refused in review. */
    NOT_QUALIFIED
}
