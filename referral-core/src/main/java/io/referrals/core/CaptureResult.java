package io.referrals.core;

import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of a capture: accepted (possibly a replay of an earlier capture, possibly held for review), rejected by
 * the eligibility checks (recorded with its reasons), or refused with a reason (nothing recorded).
 */
public sealed interface CaptureResult {

    /** True for {@link Accepted}. */
    default boolean isAccepted() {
        return this instanceof Accepted;
    }

    /**
     * The referral was stored. If an eligibility check flagged it, {@code referral.review()} is
     * {@link io.referrals.core.model.ReviewStatus#FLAGGED} and {@code referral.findings()} says why: its rewards stay
     * pending until the host approves it.
     *
     * @param referral the referral
     * @param replayed true when an earlier capture with the same idempotency key and payload is being returned
     */
    record Accepted(Referral referral, boolean replayed) implements CaptureResult {
        public Accepted {
            Objects.requireNonNull(referral, "referral");
        }
    }

    /**
     * The referral was not stored, for a reason safe to show the advocate: the program is not active, the advocate
     * opted out or is not enrolled, the code is unknown or revoked.
     *
     * @param reason why
     */
    record Refused(Reason reason) implements CaptureResult {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The referral was recorded but rejected by the eligibility checks (self-referral, duplicate, blocked, ...): it is
     * stored with review status {@link io.referrals.core.model.ReviewStatus#DENIED}, in the pipeline's rejected stage
     * when it has one, and never earns rewards. The reasons are safe to show the advocate.
     *
     * @param referral the recorded referral
     * @param reasons why, never empty
     * @param replayed true when an earlier capture with the same idempotency key and payload is being returned
     */
    record Rejected(Referral referral, List<Reason> reasons, boolean replayed) implements CaptureResult {
        public Rejected {
            Objects.requireNonNull(referral, "referral");
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("a rejection needs a reason");
            }
        }
    }
}
