/**
 * The library's exceptions: one unchecked root, {@link io.referrals.core.error.ReferralException}, with a subtype per
 * situation a caller can act on. Business outcomes (a referral refused, a reward held back) are not exceptions; they
 * are values in the result of the operation.
 */
package io.referrals.core.error;
