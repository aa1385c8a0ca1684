package io.referrals.rules.result;

import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Reason;
import java.util.List;
import java.util.Objects;

/**
 * What one rule decides for one event before limits and exactly-once checks: whether its conditions hold, what
 * each side would get, and why.
 *
 * @param ruleId the rule
 * @param ruleVersion the version of its rule set
 * @param milestone the milestone, for example {@code stage:won}
 * @param matched true if the conditions hold and an amount could be worked out
 * @param payouts what each side gets; empty unless matched
 * @param trace reasons safe to show the advocate: trigger, conditions met or failed, multipliers
 */
public record RuleDecision(String ruleId, int ruleVersion, String milestone, boolean matched, List<Payout> payouts,
        List<Reason> trace) {

    /**
     * One side's incentive.
     *
     * @param beneficiary who gets it
     * @param incentive what they get
     */
    public record Payout(Beneficiary beneficiary, Incentive incentive) {
        public Payout {
            Objects.requireNonNull(beneficiary, "beneficiary");
            Objects.requireNonNull(incentive, "incentive");
        }
    }

    public RuleDecision {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(milestone, "milestone");
        payouts = List.copyOf(payouts);
        trace = List.copyOf(trace);
    }
}
