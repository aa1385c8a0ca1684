package io.referrals.core.event;

/**
 * An advocate opted out; their new referrals are refused.
 */
public record AdvocateOptedOut(EventMetadata metadata, AdvocateSummary advocate) implements ReferralEvent {
    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onAdvocateOptedOut(this);
    }
}
