package io.referrals.core.view;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a reward has not reached the advocate yet.
 *
 * <p>{@link Kind#WAITING_FOR_DEAL} and {@link Kind#BUDGET_REACHED} are read from the reward's explanation: a reward
 * whose latest explanation reason has the code {@link #WAITING_FOR_DEAL_CODE} or {@link #BUDGET_REACHED_CODE} is
 * pending for that reason. The rules engine writes such a reason when the host's approver defers a reward with it
 * ({@code RewardApprover.Verdict.defer(code, text)} in {@code referral-rules}).
 *
 * @param kind why
 * @param until when it ends, if known (the end of the holding period)
 * @param text a sentence for the advocate in the view's language, for example "On hold until 12 March 2026, in
 *     case the purchase is refunded."
 */
public record PendingReason(Kind kind, Optional<Instant> until, String text) {

    /** The explanation reason code that marks a reward held until the referred deal closes. */
    public static final String WAITING_FOR_DEAL_CODE = "waiting_for_deal";
    /** The explanation reason code that marks a reward held because a budget or cap is used up for now. */
    public static final String BUDGET_REACHED_CODE = "budget_reached";

    /** Why a reward is pending. */
    public enum Kind {
        /** Its holding period (a refund window, say) has not ended; {@link PendingReason#until()} says when it does. */
        HOLDING_PERIOD,
        /** Its referral is held for review. */
        UNDER_REVIEW,
        /** It is paid once the referred deal closes. */
        WAITING_FOR_DEAL,
        /** A budget or cap is used up for now. */
        BUDGET_REACHED,
        /** It was approved and is being issued. */
        FULFILMENT_IN_PROGRESS
    }

    /** @throws NullPointerException if an argument is null */
    public PendingReason {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(text, "text");
    }
}
