package io.referrals.core.model;

/**
 * A reward's lifecycle: {@code PENDING -> APPROVED -> FULFILLED}, or {@code REJECTED}, {@code REVERSED} (clawed back
 * by a compensating entry) or {@code EXPIRED}.
 */
public enum RewardStatus {
    PENDING, APPROVED, FULFILLED, REJECTED, REVERSED, EXPIRED;

    /** True for states a reward never leaves. */
    public boolean isFinal() {
        return this == REJECTED || this == REVERSED || this == EXPIRED;
    }
}
