package io.referrals.rules.internal;

import io.referrals.rules.spi.RewardApprover;
import io.referrals.rules.spi.RewardFulfiller;
import java.time.Duration;
import java.util.Objects;

/**
 * What the scheduled run and contests need of the rewards engine's configuration.
 *
 * @param approver the host's approver, or {@code null} when rewards are approved once their holding period ends
 * @param fulfiller the host's fulfiller, or {@code null} when rewards other than points are fulfilled by the host
 *     with {@link io.referrals.rules.Rewards#markFulfilled}
 * @param maxFulfilmentAttempts how many times a failed fulfilment is attempted in all, at least 1
 * @param fulfilmentLease how long a run's claim on a reward holds while the fulfiller issues it, positive
 * @param batchSize how many due rewards one run handles at most, at least 1
 * @param backoff when a reward the run put off (a deferred approval, a failed fulfilment) is due again
 */
public record RewardsSettings(RewardApprover approver, RewardFulfiller fulfiller, int maxFulfilmentAttempts,
        Duration fulfilmentLease, int batchSize, Backoff backoff) {

    public RewardsSettings {
        if (maxFulfilmentAttempts < 1 || batchSize < 1) {
            throw new IllegalArgumentException("maxFulfilmentAttempts and batchSize must be at least 1");
        }
        Objects.requireNonNull(fulfilmentLease, "fulfilmentLease");
        if (fulfilmentLease.isNegative() || fulfilmentLease.isZero()) {
            throw new IllegalArgumentException("fulfilmentLease must be positive: " + fulfilmentLease);
        }
        Objects.requireNonNull(backoff, "backoff");
    }

    /** True when rewards nothing holds back are approved as soon as they are earned. */
    public boolean autoApprove() {
        return approver == null;
    }
}
