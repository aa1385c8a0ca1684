package io.referrals.core.model;

/** Whether a referral code still attributes referrals. */
public enum CodeStatus {
    ACTIVE, REVOKED
}
