package io.referrals.core.event;

import io.referrals.core.model.Reward;

/**
 * The host delivered a reward.
 */
public record RewardFulfilled(EventMetadata metadata, AdvocateSummary advocate, Reward reward) implements ReferralEvent {
    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onRewardFulfilled(this);
    }
}
