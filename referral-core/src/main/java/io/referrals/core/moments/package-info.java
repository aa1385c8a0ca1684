/**
 * Moments of delight as immutable values: the {@link io.referrals.core.moments.Moment moments} a host reports
 * (contract signed, go-live, an NPS answer, a result achieved, public praise, a renewal), the
 * {@link io.referrals.core.moments.Ask asks} made of advocates and their outcomes, the per-program
 * {@link io.referrals.core.moments.AskPolicy policy} (cooldown, recency, weights) and the pure
 * {@link io.referrals.core.moments.MomentScoring ranking} of who to ask now. Nothing here reads a store:
 * {@link io.referrals.core.MomentsOfDelight} does. Every type is immutable and thread-safe.
 */
package io.referrals.core.moments;
