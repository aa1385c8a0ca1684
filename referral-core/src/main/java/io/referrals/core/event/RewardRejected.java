package io.referrals.core.event;

import io.referrals.core.model.Reward;

/**
 * A reward was rejected by the host or a review.
 */
public record RewardRejected(EventMetadata metadata, AdvocateSummary advocate, Reward reward) implements ReferralEvent {
    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onRewardRejected(this);
    }
}
