package io.referrals.rules.result;

/**
 * What one {@link io.referrals.rules.Rewards#processDue()} run did.
 *
 * @param approved rewards approved
 * @param rejected rewards vetoed by the host, or rejected because a review denied their referral
 * @param deferred rewards the host asked to keep pending, or held while their referral is flagged for review
 * @param fulfilled rewards fulfilled
 * @param failed fulfilment attempts that failed (retried on a later run while attempts remain)
 */
public record ProcessReport(int approved, int rejected, int deferred, int fulfilled, int failed) {
}
