package io.referrals.core.event;

import io.referrals.core.model.Reward;

/**
 * A rule produced a reward, pending or approved.
 */
public record RewardEarned(EventMetadata metadata, AdvocateSummary advocate, Reward reward) implements ReferralEvent {
    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onRewardEarned(this);
    }
}
