package io.referrals.rules;

import io.referrals.core.insights.CandidateRules;
import io.referrals.core.model.Program;
import io.referrals.rules.definition.RuleSet;
import io.referrals.rules.internal.Backtest;
import java.util.Objects;

/**
 * A rule set as a backtest candidate: what it would have paid over a program's past referrals, for
 * {@link io.referrals.core.ProgramInsights#backtest}. The rules are judged exactly as the {@link RewardsEngine} judges
 * them (conditions, multipliers, percentages of the deal value, tiers, Nth-referral triggers, caps, budgets, a rule
 * paying a milestone once), replaying each referral's capture and stage history at the times they happened, but
 * nothing is written anywhere: every counter a limit or a trigger uses lives in the evaluation's memory and starts at
 * zero, so a candidate is judged on the period alone.
 *
 * <p>What a backtest cannot know: a referral's deal value and prospect are taken as they are now (not as they were at
 * each milestone), and so is the advocate (segment, kind, account); limits are applied in the order referrals arrive
 * (their id order), which may differ from the order of the events; clawbacks, host vetoes, host-defined events and
 * contest prizes are not replayed. Referrals denied (at capture or by a review) and referrals without a consent basis
 * earn nothing, as they do for real; a referral still flagged for review is counted, as its rewards would be pending.
 *
 * <p>Immutable and thread-safe; each {@link #begin} starts an independent evaluation.
 */
public final class RuleSetBacktest implements CandidateRules {
    private final Backtest backtest;

    private RuleSetBacktest(RuleSet ruleSet) {
        this.backtest = new Backtest(ruleSet);
    }

    /** A candidate that judges referrals with {@code ruleSet}, whatever its effective time. */
    public static RuleSetBacktest of(RuleSet ruleSet) {
        return new RuleSetBacktest(Objects.requireNonNull(ruleSet, "ruleSet"));
    }

    /** The rule set's program and version, for example {@code customers v2}. */
    @Override
    public String name() {
        return backtest.ruleSet().programId().value() + " v" + backtest.ruleSet().version();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the rule set is for another program
     */
    @Override
    public Evaluation begin(Program program) {
        Objects.requireNonNull(program, "program");
        if (!program.id().equals(backtest.ruleSet().programId())) {
            throw new IllegalArgumentException("the rule set is for program " + backtest.ruleSet().programId()
                    + ", not " + program.id());
        }
        return backtest.begin(program);
    }
}
