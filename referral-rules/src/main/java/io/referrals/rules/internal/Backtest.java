package io.referrals.rules.internal;

import io.referrals.core.insights.CandidateRules;
import io.referrals.core.insights.ProjectedReward;
import io.referrals.core.insights.ReferralHistory;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Program;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.storage.CounterKey;
import io.referrals.rules.definition.RuleSet;
import io.referrals.rules.definition.Trigger;
import io.referrals.rules.result.RuleDecision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The evaluation behind {@link io.referrals.rules.RuleSetBacktest}: a rule set judged over past referrals as the
 * {@link RulesHook} judges live ones, with every counter in memory and nothing written. Immutable and thread-safe;
 * each {@link #begin} starts an independent evaluation.
 */
public final class Backtest {
    private final CompiledRuleSet crs;

    public Backtest(RuleSet ruleSet) {
        this.crs = new CompiledRuleSet(Objects.requireNonNull(ruleSet, "ruleSet"));
    }

    /** The rule set judged. */
    public RuleSet ruleSet() {
        return crs.ruleSet;
    }

    /** A new evaluation over {@code program}'s referrals, which must be the rule set's program. */
    public CandidateRules.Evaluation begin(Program program) {
        return new Run(program);
    }

    /** One pass: its own counters and its own record of the milestones paid. Single-threaded. */
    private final class Run implements CandidateRules.Evaluation {
        private final Program program;
        private final Counters counters = Counters.inMemory();
        private final Set<String> paid = new HashSet<>();

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

        /** As {@link RulesHook}'s, on the evaluation's counters. */
        private void reached(Referral now, Stage stage, Advocate advocate, Instant at, Facts known,
                List<ProjectedReward> out) {
            long nth = -1;
            boolean counted = false;
            if (crs.countedStages.contains(stage)
                    && counters.tryConsume(Keys.stageMark(crs.ruleSet.programId(), now.id(), stage), 1, 1)) {
                CounterKey lifetime = Keys.stageCount(crs.ruleSet.programId(), advocate.id(), stage);
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
            String tier = crs.needsTier ? RuleBook.tier(counters, crs, advocate, at) : "";
            return new Facts(crs, program, advocate, then, at, tier);
        }

        /** As {@code Payer.pay}, without writing: a milestone once per rule and side, limits on the counters. */
        private void judge(CompiledRule rule, Facts facts, String milestone, Reason trigger,
                List<ProjectedReward> out) {
            RuleDecision d = rule.decide(facts, milestone, trigger);
            if (!d.matched()) {
                return;
            }
            for (RuleDecision.Payout payout : d.payouts()) {
                String key = rule.rule.id() + '|' + RewardSource.Kind.REFERRAL + ':'
                        + facts.referral.id().value() + '|' + milestone + '|' + payout.beneficiary();
                if (paid.contains(key)) {
                    continue;
                }
                Incentive incentive = Limits.apply(counters, crs, rule.rule, facts, payout.incentive(),
                        new ArrayList<>());
                if (incentive != null) {
                    paid.add(key);
                    out.add(new ProjectedReward(facts.advocate.id(), payout.beneficiary(), rule.rule.id(), milestone,
                            incentive));
                }
            }
        }
    }
}
