package io.referrals.core.model;

/** Whether a referral is held for review by eligibility or fraud checks. */
public enum ReviewStatus {
    /** No check objected. */
    CLEAR,
    /** A check flagged the referral; its rewards stay pending until it is approved. */
    FLAGGED,
    /** Flagged, then approved by the host. */
    APPROVED,
    /** Flagged, then denied by the host; or rejected by an eligibility check at capture. Never earns rewards. */
    DENIED
}
