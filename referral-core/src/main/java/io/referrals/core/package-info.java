/**
 * The referral engine: {@link io.referrals.core.ReferralEngine} and the requests and results of its operations
 * (capture, stage transitions, advocate registration, referral links). Start with
 * {@link io.referrals.core.ReferralEngine#builder()}.
 */
package io.referrals.core;
