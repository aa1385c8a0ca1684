package io.referrals.rules;

import io.referrals.core.insights.CandidateRules;
import io.referrals.core.insights.ProjectedReward;
import io.referrals.core.insights.ReferralHistory;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Program;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

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
    private final CompiledRuleSet crs;

    private RuleSetBacktest(RuleSet ruleSet) {
        this.crs = new CompiledRuleSet(ruleSet);
    }

    /** A candidate that judges referrals with {@code ruleSet}, whatever its effective time. */
    public static RuleSetBacktest of(RuleSet ruleSet) {
        return new RuleSetBacktest(Objects.requireNonNull(ruleSet, "ruleSet"));
    }

    /** The rule set's program and version, for example {@code customers v2}. */
    @Override
    public String name() {
        return crs.ruleSet.programId().value() + " v" + crs.ruleSet.version();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the rule set is for another program
     */
    @Override
    public Evaluation begin(Program program) {
        Objects.requireNonNull(program, "program");
        if (!program.id().equals(crs.ruleSet.programId())) {
            throw new IllegalArgumentException("the rule set is for program " + crs.ruleSet.programId()
                    + ", not " + program.id());
        }
        return new Run(program);
    }

    /** One pass: its own counters and its own record of the milestones paid. Single-threaded. */
    private final class Run implements Evaluation {
        private final Program program;
        private final Counters counters = Counters.inMemory();
        private final Set<String> paid = new HashSet<>();
        private final Payer limits = new Payer(true);

        Run(Program program) {
            this.program = program;
        }

        @Override
        public List<ProjectedReward> evaluate(ReferralHistory history) {
            Objects.requireNonNull(history, "history");
            Referral now = history.referral();
            if (now.review() == ReviewStatus.DENIED || !now.consent().allowsContact()) {
                return List.of();
            }
            List<ProjectedReward> out = new ArrayList<>();
            Advocate advocate = history.advocate();
            Stage initial = program.pipeline().initial();
            Facts facts = facts(now, initial, advocate, now.submittedAt());
            for (CompiledRule rule : crs.onSubmitted) {
                judge(rule, facts, "submitted", crs.submittedReason, out);
            }
            reached(now, initial, advocate, now.submittedAt(), facts, out);
            for (TimelineEntry e : history.timeline()) {
                reached(now, e.to(), advocate, e.at(), null, out);
            }
            return out;
        }

        /** As {@code RewardsEngine.reached}, on the evaluation's counters. */
        private void reached(Referral now, Stage stage, Advocate advocate, Instant at, Facts known,
                List<ProjectedReward> out) {
            long nth = -1;
            boolean counted = false;
            if (crs.countedStages.contains(stage)
                    && counters.tryConsume(Keys.stageMark(crs.ruleSet.programId(), now.id(), stage), 1, 1)) {
                String lifetime = Keys.stageCount(crs.ruleSet.programId(), advocate.id(), stage);
                counters.tryConsume(lifetime, 1, Long.MAX_VALUE);
                counters.tryConsume(Keys.stageCountInYear(crs.ruleSet.programId(), advocate.id(), stage,
                        Keys.year(at)), 1, Long.MAX_VALUE);
                nth = counters.counter(lifetime);
                counted = true;
            }
            Facts facts = known != null && !(counted && crs.needsTier) ? known : facts(now, stage, advocate, at);
            String milestone = crs.stageMilestone(stage);
            Reason trigger = crs.stageReason(stage);
            for (CompiledRule rule : crs.stageRules(stage)) {
                judge(rule, facts, milestone, trigger, out);
            }
            for (CompiledRule rule : crs.onNth.getOrDefault(stage, List.of())) {
                if (nth == ((Trigger.NthReferral) rule.rule.trigger()).n()) {
                    judge(rule, facts, rule.nthMilestone, rule.nthReason, out);
                }
            }
        }

        /** The facts of the referral as it stood in {@code stage} at {@code at}. */
        private Facts facts(Referral now, Stage stage, Advocate advocate, Instant at) {
            Referral then = now.toBuilder().stage(stage).outcome(program.pipeline().outcome(stage).orElse(null))
                    .build();
            String tier = crs.needsTier ? RewardsEngine.tier(counters, crs, advocate, at) : "";
            return new Facts(RuleContext.of(program, advocate, then, at, tier), crs);
        }

        /** As {@code Payer.pay}, without writing: a milestone once per rule and side, limits on the counters. */
        private void judge(CompiledRule rule, Facts facts, String milestone, Reason trigger,
                List<ProjectedReward> out) {
            RuleDecision d = rule.decide(facts, milestone, trigger);
            if (!d.matched()) {
                return;
            }
            RuleContext ctx = facts.ctx;
            for (RuleDecision.Payout payout : d.payouts()) {
                String key = rule.rule.id() + '|' + RewardSource.Kind.REFERRAL + ':'
                        + ctx.referralOrNull().id().value() + '|' + milestone + '|' + payout.beneficiary();
                if (paid.contains(key)) {
                    continue;
                }
                Incentive incentive = limits.applyLimits(counters, crs, rule.rule, ctx, payout.incentive(),
                        new ArrayList<>());
                if (incentive != null) {
                    paid.add(key);
                    out.add(new ProjectedReward(ctx.advocate().id(), payout.beneficiary(), rule.rule.id(), milestone,
                            incentive));
                }
            }
        }
    }
}
