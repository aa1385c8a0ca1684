package io.referrals.core.event;

import io.referrals.core.model.Reward;

/**
 * Fulfilment of a reward failed; it will be retried.
 */
public record RewardFulfilmentFailed(EventMetadata metadata, AdvocateSummary advocate, Reward reward) implements ReferralEvent {
    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onRewardFulfilmentFailed(this);
    }
}
