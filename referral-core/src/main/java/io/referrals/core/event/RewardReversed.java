package io.referrals.core.event;

import io.referrals.core.model.Reward;

/**
 * A reward was clawed back by a compensating entry.
 */
public record RewardReversed(EventMetadata metadata, AdvocateSummary advocate, Reward reward) implements ReferralEvent {
    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onRewardReversed(this);
    }
}
