package io.referrals.rules.result;

/**
 * What one {@link io.referrals.rules.Rewards#processDue()} run did.
 *
 * @param approved rewards approved
 * @param rejected rewards vetoed by the host, or rejected because a review denied their referral
 * @param deferred rewards the host asked to keep pending (asked again after a backoff), or held while their referral
 *     is flagged for review
 * @param fulfilled rewards fulfilled
 * @param failed fulfilment attempts that failed: retried after a backoff while attempts remain, after the last the
 *     reward is {@link io.referrals.core.model.RewardStatus#FAILED}
 */
public record ProcessReport(int approved, int rejected, int deferred, int fulfilled, int failed) {
}
