package io.referrals.core.event;

import io.referrals.core.model.Reward;

/**
 * An attempt to fulfil a reward failed; it will be made again at the reward's
 * {@link io.referrals.core.model.Reward#nextAttemptAt()}. When the last attempt fails, {@link RewardFailed} is emitted
 * instead.
 */
public record RewardFulfilmentFailed(EventMetadata metadata, AdvocateSummary advocate, Reward reward) implements ReferralEvent {
    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onRewardFulfilmentFailed(this);
    }
}
