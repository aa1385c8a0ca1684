package io.referrals.core.event;

/**
 * An advocate was registered.
 */
public record AdvocateRegistered(EventMetadata metadata, AdvocateSummary advocate) implements ReferralEvent {
    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onAdvocateRegistered(this);
    }
}
