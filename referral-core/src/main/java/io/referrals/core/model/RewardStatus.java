package io.referrals.core.model;

/**
 * A reward's lifecycle: {@code PENDING -> APPROVED -> FULFILLED}, or {@code REJECTED}, {@code REVERSED} (clawed back
 * by a compensating entry) or {@code EXPIRED}; an approved reward whose every fulfilment attempt failed is
 * {@code FAILED} until the host fulfils it by hand ({@code FAILED -> FULFILLED}).
 */
public enum RewardStatus {
    PENDING, APPROVED, FULFILLED, REJECTED, REVERSED, EXPIRED,
    /**
     * Approved, but the host's fulfiller failed on every attempt the rewards engine makes: no scheduled run tries it
     * again. Still owed: the host fulfils it by hand (which makes it {@link #FULFILLED}), or it is rejected or
     * reversed. Not final.
     */
    FAILED;

    /** True for states a reward never leaves. */
    public boolean isFinal() {
        return this == REJECTED || this == REVERSED || this == EXPIRED;
    }
}
