package io.referrals.core.event;

/**
 * A referral was captured.
 */
public record ReferralSubmitted(EventMetadata metadata, ReferralSummary referral) implements ReferralEvent {
    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onReferralSubmitted(this);
    }
}
