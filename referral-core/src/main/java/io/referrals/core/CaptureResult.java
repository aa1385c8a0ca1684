package io.referrals.core;

import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a capture: accepted (possibly held for review), rejected by the eligibility checks (recorded with its
 * reasons), or refused with a reason (nothing recorded).
 *
 * <p>Replays: a capture that repeats an earlier one's idempotency key and payload returns what that first capture
 * returned, marked {@code replayed}: the same kind of result (accepted or rejected), the same reasons, and the referral
 * as it was then recorded (version 1, with the review status, stage and findings it was recorded with), even if the
 * referral was reviewed, moved or flagged since; personal data erased since stays erased. Read the referral's current
 * state with {@link ReferralEngine#referral}. A refusal records nothing, so it is never replayed: a repeat is decided
 * afresh (it may be accepted once, say, the advocate is enrolled).
 */
public sealed interface CaptureResult {

    /** True for {@link Accepted}. */
    default boolean isAccepted() {
        return this instanceof Accepted;
    }

    /**
     * The referral this capture recorded: present for {@link Accepted} (also when flagged for review) and for
     * {@link Rejected}, empty for {@link Refused}, where nothing was recorded.
     */
    default Optional<Referral> recorded() {
        if (this instanceof Accepted a) {
            return Optional.of(a.referral());
        }
        return this instanceof Rejected r ? Optional.of(r.referral()) : Optional.empty();
    }

    /**
     * The accepted referral, for code that expects acceptance.
     *
     * @throws IllegalStateException naming the outcome and its reasons if the capture was refused or rejected
     */
    default Referral acceptedReferral() {
        if (this instanceof Accepted a) {
            return a.referral();
        }
        List<Reason> why = this instanceof Rejected r ? r.reasons() : List.of(((Refused) this).reason());
        throw new IllegalStateException("the capture was " + (this instanceof Rejected ? "rejected" : "refused")
                + ": " + String.join(", ", why.stream().map(Reason::code).toList()));
    }

    /**
     * The referral was stored. If an eligibility check flagged it, {@code referral.review()} is
     * {@link io.referrals.core.model.ReviewStatus#FLAGGED} and {@code referral.findings()} says why: its rewards stay
     * pending until the host approves it.
     *
     * @param referral the referral
     * @param replayed true when this returns what an earlier capture with the same idempotency key and payload
     *     returned; {@code referral} is then the referral as that capture recorded it
     */
    record Accepted(Referral referral, boolean replayed) implements CaptureResult {
        public Accepted {
            Objects.requireNonNull(referral, "referral");
        }
    }

    /**
     * The referral was not stored, for a reason safe to show the advocate: the program is not active, the advocate
     * opted out or is not enrolled, the code is unknown or revoked. Nothing is recorded under the idempotency key, so a
     * repeat of the capture is decided afresh.
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
     * @param replayed true when this returns what an earlier capture with the same idempotency key and payload
     *     returned; {@code referral} is then the referral as that capture recorded it
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
