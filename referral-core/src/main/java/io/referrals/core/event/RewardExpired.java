package io.referrals.core.event;

import io.referrals.core.model.Reward;

/**
 * A reward expired unclaimed.
 */
public record RewardExpired(EventMetadata metadata, AdvocateSummary advocate, Reward reward) implements ReferralEvent {
    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onRewardExpired(this);
    }
}
