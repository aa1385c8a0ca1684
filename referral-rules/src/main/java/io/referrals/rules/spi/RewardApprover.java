package io.referrals.rules.spi;

import io.referrals.core.model.Reason;
import io.referrals.core.model.Reward;
import java.util.Objects;

/**
 * The host's approval or veto of a reward whose holding period is over, before it is approved for fulfilment.
 * Called by {@link io.referrals.rules.Rewards#processDue()} outside any transaction; an approver that throws is logged
 * and the reward is deferred. Must be thread-safe.
 */
@FunctionalInterface
public interface RewardApprover {

    /** The verdict on {@code reward} (pending, its holding period over). */
    Verdict review(Reward reward);

    /** An approver that approves everything. */
    static RewardApprover approveAll() {
        return r -> Verdict.APPROVE;
    }

    /** A verdict. */
    sealed interface Verdict {
        /** Approve for fulfilment. */
        Verdict APPROVE = new Approve();
        /**
         * Ask again later: the reward stays pending and is due again after a backoff that grows with each deferral in
         * a row, up to a maximum ({@link io.referrals.rules.RewardsEngine.Builder#retryBackoff}); meanwhile newer
         * rewards are processed.
         */
        Verdict DEFER = new Defer();

        /** Approve. */
        record Approve() implements Verdict {
        }

        /** Not yet: keep it pending, and ask again after a backoff. */
        record Defer() implements Verdict {
        }

        /**
         * Not yet, for a reason safe to show the advocate: like {@link #DEFER}, and the reason is added to the
         * reward's explanation (once, while it is the latest reason there), so that the advocate's view can say why
         * the reward waits. Use the codes the view recognises,
         * {@link io.referrals.core.view.PendingReason#WAITING_FOR_DEAL_CODE} (paid once the deal closes) and
         * {@link io.referrals.core.view.PendingReason#BUDGET_REACHED_CODE} (a budget of the host's is used up for
         * now), or a code of your own.
         */
        record DeferBecause(Reason reason) implements Verdict {
            public DeferBecause {
                Objects.requireNonNull(reason, "reason");
            }
        }

        /** Veto, with a reason safe to show the advocate. */
        record Reject(Reason reason) implements Verdict {
            public Reject {
                Objects.requireNonNull(reason, "reason");
            }
        }

        /**
         * Not yet, because of {@code code} and {@code text} (see {@link DeferBecause}), for example
         * {@code Verdict.defer(PendingReason.WAITING_FOR_DEAL_CODE, "Paid once your referral's deal closes.")}.
         *
         * @throws IllegalArgumentException if {@code code} is not a lower-case snake-case code or {@code text} is
         *     blank
         */
        static Verdict defer(String code, String text) {
            return new DeferBecause(Reason.of(code, text));
        }

        static Verdict reject(String code, String text) {
            return new Reject(Reason.of(code, text));
        }
    }
}
