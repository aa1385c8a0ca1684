package io.referrals.core.view;

import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One of the advocate's rewards.
 *
 * @param id the reward
 * @param programId the program whose rule produced it
 * @param referralId the referral it was earned for, or empty (a contest prize, a host event, a redemption)
 * @param description what it gives, in the view's language, for example "€100 account credit" or "500 points"
 * @param status its lifecycle state
 * @param statusLabel the state written for the advocate, in the view's language
 * @param pending why it has not reached the advocate yet, while it is pending, approved or failed; empty otherwise
 *     (and for a pending reward that only waits for the next scheduled approval run)
 * @param earnedAt when it was earned
 */
public record RewardLine(RewardId id, ProgramId programId, Optional<ReferralId> referralId, String description,
        RewardStatus status, String statusLabel, Optional<PendingReason> pending, Instant earnedAt) {

    /** @throws NullPointerException if an argument is null */
    public RewardLine {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(referralId, "referralId");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(statusLabel, "statusLabel");
        Objects.requireNonNull(pending, "pending");
        Objects.requireNonNull(earnedAt, "earnedAt");
    }
}
