package io.referrals.core.event;

import io.referrals.core.model.Reward;

/**
 * A reward was approved for fulfilment.
 */
public record RewardApproved(EventMetadata metadata, AdvocateSummary advocate, Reward reward) implements ReferralEvent {
    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onRewardApproved(this);
    }
}
