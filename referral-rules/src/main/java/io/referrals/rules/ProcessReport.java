package io.referrals.rules;

/**
 * What one {@link Rewards#processDue()} run did.
 *
 * @param approved rewards approved
 * @param rejected rewards vetoed by the host
 * @param deferred rewards the host asked to keep pending
 * @param fulfilled rewards fulfilled
 * @param failed fulfilment attempts that failed (retried on a later run while attempts remain)
 */
public record ProcessReport(int approved, int rejected, int deferred, int fulfilled, int failed) {
}
