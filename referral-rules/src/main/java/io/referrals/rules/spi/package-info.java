/**
 * What a host plugs into the rewards engine, on {@link io.referrals.rules.RewardsEngine.Builder}: a
 * {@link io.referrals.rules.spi.RewardApprover} that approves or vetoes rewards whose holding period is over, and a
 * {@link io.referrals.rules.spi.RewardFulfiller} that issues approved rewards other than points.
 */
package io.referrals.rules.spi;
