package io.referrals.core.event;

import io.referrals.core.model.Reward;

/**
 * The host's fulfiller failed on the last attempt the rewards engine makes at a reward: the reward is now
 * {@link io.referrals.core.model.RewardStatus#FAILED} and no scheduled run tries it again. The host still owes it:
 * fulfil it by hand (the rewards engine's {@code markFulfilled}), or investigate the fulfiller.
 */
public record RewardFailed(EventMetadata metadata, AdvocateSummary advocate, Reward reward) implements ReferralEvent {
    @Override
    public void dispatchTo(ReferralListener listener) {
        listener.onRewardFailed(this);
    }
}
