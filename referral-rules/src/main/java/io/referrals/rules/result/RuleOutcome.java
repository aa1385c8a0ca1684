package io.referrals.rules.result;

import io.referrals.core.model.Reason;
import io.referrals.core.model.Reward;
import java.util.List;
import java.util.Objects;

/**
 * What came of one rule for one milestone: paid, held, or why not. Answers "why did I (not) get a reward?".
 *
 * @param ruleId the rule
 * @param ruleVersion the version of its rule set
 * @param milestone the milestone, for example {@code stage:won}
 * @param status the outcome
 * @param rewards the rewards it produced, if any
 * @param reasons reasons safe to show the advocate, each a code and a text
 */
public record RuleOutcome(String ruleId, int ruleVersion, String milestone, Status status, List<Reward> rewards,
        List<Reason> reasons) {

    /** Outcomes. */
    public enum Status {
        /** A reward was earned and approved or fulfilled. */
        PAID,
        /**
         * A reward was earned and waits for its holding period, the host's approval, or the review of a flagged
         * referral ({@code review_pending}).
         */
        HELD,
        /** The milestone has not been reached. */
        NOT_REACHED,
        /** A condition did not hold. */
        CONDITION_FAILED,
        /** No amount could be worked out (for example no deal value for a commission). */
        NO_AMOUNT,
        /** A limit (cap, budget, maximum of winners) was reached. */
        CAP_REACHED,
        /** The rule had already paid this milestone. */
        DUPLICATE,
        /**
         * The reward was rejected (by the host's approver, or because a review denied the referral), or the referral
         * itself was rejected and earns nothing ({@code referral_rejected}).
         */
        REJECTED,
        /** The reward was clawed back. */
        REVERSED,
        /** The reward expired. */
        EXPIRED
    }

    public RuleOutcome {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(milestone, "milestone");
        Objects.requireNonNull(status, "status");
        rewards = List.copyOf(rewards);
        reasons = List.copyOf(reasons);
    }
}
