package io.referrals.rules;

import io.referrals.core.ReferralEngine;
import io.referrals.core.hook.ReferralHook;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.storage.StoreTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rewards engine: reward rules of one or more programs, evaluated inside the referral engine's transactions.
 * Register it on the referral engine with {@code ReferralEngine.builder().hook(rewardsEngine)}: every capture and
 * stage change is then judged by the rules in the same transaction, so a reward is stored if and only if the change
 * commits. Then bind it with {@link #on(ReferralEngine)} for the operations that run on their own (approval,
 * fulfilment, clawback, redemption, contests, host-defined events, explanations).
 *
 * <p>Guarantees: a rule pays a milestone of a referral (or a host event, or a contest rank) at most once, enforced by
 * the store's unique reward key, whatever replays or concurrent processing happen; limits are enforced with the
 * store's atomic counters and are never exceeded; a referral is judged by the rule set version pinned by its
 * submission time (see {@link RuleSet}). Immutable and thread-safe.
 */
public final class RewardsEngine implements ReferralHook {
    private static final Logger LOG = LoggerFactory.getLogger(RewardsEngine.class);

    private final Map<ProgramId, List<CompiledRuleSet>> versions;
    final RewardApprover approver;
    final RewardFulfiller fulfiller;
    final int maxFulfilmentAttempts;
    final int batchSize;
    final Payer payer;

    private RewardsEngine(Builder b) {
        Map<ProgramId, List<CompiledRuleSet>> map = new HashMap<>();
        for (RuleSet rs : b.ruleSets) {
            map.computeIfAbsent(rs.programId(), k -> new ArrayList<>()).add(new CompiledRuleSet(rs));
        }
        map.replaceAll((k, v) -> {
            List<CompiledRuleSet> sorted = new ArrayList<>(v);
            sorted.sort(Comparator.comparing((CompiledRuleSet c) -> c.ruleSet.effectiveFrom())
                    .thenComparingInt(c -> c.ruleSet.version()));
            return List.copyOf(sorted);
        });
        this.versions = Map.copyOf(map);
        this.approver = b.approver;
        this.fulfiller = b.fulfiller;
        this.maxFulfilmentAttempts = b.maxFulfilmentAttempts;
        this.batchSize = b.batchSize;
        this.payer = new Payer(b.approver == null);
        LOG.debug("rewards engine built: {} programs, {} rule set versions, approver {}, fulfiller {}",
                versions.size(), b.ruleSets.size(), approver != null, fulfiller != null);
    }

    /** A builder with no rule sets, no approver (rewards are approved when their holding period ends) and no fulfiller. */
    public static Builder builder() {
        return new Builder();
    }

    /** The operations of this engine over {@code engine}, which must have this engine registered as a hook. */
    public Rewards on(ReferralEngine engine) {
        return new Rewards(this, Objects.requireNonNull(engine, "engine"));
    }

    /**
     * The rule set version that judges a referral of {@code programId} submitted at {@code submittedAt}, at
     * {@code now}: the latest version effective at submission, or a later version that migrates referrals in flight
     * and is effective at {@code now}.
     */
    public Optional<RuleSet> ruleSetFor(ProgramId programId, Instant submittedAt, Instant now) {
        return Optional.ofNullable(pinned(programId, submittedAt, now)).map(c -> c.ruleSet);
    }

    /** The version of a program's rules with this number. */
    public Optional<RuleSet> ruleSet(ProgramId programId, int version) {
        return Optional.ofNullable(version(programId, version)).map(c -> c.ruleSet);
    }

    /**
     * What the pinned rules decide for a referral entering {@code stage} (conditions and amounts, before limits and
     * exactly-once checks), without writing anything. Rules triggered by the Nth referral are not included.
     */
    public List<RuleDecision> decide(RuleContext ctx, Stage stage) {
        Referral r = ctx.referral().orElseThrow(() -> new IllegalArgumentException("the context has no referral"));
        CompiledRuleSet crs = pinned(ctx.program().id(), r.submittedAt(), ctx.at());
        if (crs == null) {
            return List.of();
        }
        List<CompiledRule> rules = crs.stageRules(stage);
        List<RuleDecision> decisions = new ArrayList<>(rules.size());
        Facts facts = new Facts(ctx, crs);
        String milestone = crs.stageMilestone(stage);
        Reason trigger = crs.stageReason(stage);
        for (int i = 0; i < rules.size(); i++) {
            decisions.add(rules.get(i).decide(facts, milestone, trigger));
        }
        return decisions;
    }

    // ---- hook ------------------------------------------------------------------------------------------------------

    @Override
    public void afterCapture(UnitOfWork work, Program program, Advocate advocate, Referral referral) {
        CompiledRuleSet crs = pinned(program.id(), referral.submittedAt(), work.now());
        if (crs == null) {
            return;
        }
        RuleContext ctx = context(work.store(), crs, program, advocate, referral, work.now());
        RewardSource source = RewardSource.referral(referral.id());
        Facts facts = new Facts(ctx, crs);
        for (CompiledRule rule : crs.onSubmitted) {
            judge(work, crs, rule, facts, "submitted", crs.submittedReason, source);
        }
        reached(work, crs, facts, referral.stage(), source);
    }

    @Override
    public void afterTransition(UnitOfWork work, Program program, Advocate advocate, Referral referral,
            TimelineEntry entry) {
        CompiledRuleSet crs = pinned(program.id(), referral.submittedAt(), work.now());
        if (crs == null) {
            return;
        }
        RuleContext ctx = context(work.store(), crs, program, advocate, referral, work.now());
        reached(work, crs, new Facts(ctx, crs), entry.to(), RewardSource.referral(referral.id()));
    }

    private void reached(UnitOfWork work, CompiledRuleSet crs, Facts facts, Stage stage, RewardSource source) {
        StoreTransaction tx = work.store();
        long nth = -1;
        RuleContext ctx = facts.ctx;
        Referral referral = facts.referral;
        if (crs.countedStages.contains(stage)
                && tx.tryConsume(Keys.stageMark(crs.ruleSet.programId(), referral.id(), stage), 1, 1)) {
            String lifetime = Keys.stageCount(crs.ruleSet.programId(), ctx.advocate().id(), stage);
            tx.tryConsume(lifetime, 1, Long.MAX_VALUE);
            tx.tryConsume(Keys.stageCountInYear(crs.ruleSet.programId(), ctx.advocate().id(), stage,
                    Keys.year(ctx.at())), 1, Long.MAX_VALUE);
            // our own increment, made under the counter's lock: every referral gets its own number
            nth = tx.counter(lifetime);
            if (crs.needsTier) {
                facts = new Facts(ctx.withTier(tier(tx, crs, ctx.advocate(), ctx.at())), crs);
            }
        }
        String milestone = crs.stageMilestone(stage);
        Reason trigger = crs.stageReason(stage);
        for (CompiledRule rule : crs.stageRules(stage)) {
            judge(work, crs, rule, facts, milestone, trigger, source);
        }
        for (CompiledRule rule : crs.onNth.getOrDefault(stage, List.of())) {
            Trigger.NthReferral t = (Trigger.NthReferral) rule.rule.trigger();
            if (nth == t.n()) {
                judge(work, crs, rule, facts, rule.nthMilestone, rule.nthReason, source);
            }
        }
    }

    RuleOutcome judge(UnitOfWork work, CompiledRuleSet crs, CompiledRule rule, Facts facts, String milestone,
            Reason trigger, RewardSource source) {
        RuleDecision d = rule.decide(facts, milestone, trigger);
        if (!d.matched()) {
            boolean noAmount = !d.trace().isEmpty()
                    && d.trace().get(d.trace().size() - 1).code().equals("deal_value_missing");
            return new RuleOutcome(rule.rule.id(), crs.ruleSet.version(), milestone,
                    noAmount ? RuleOutcome.Status.NO_AMOUNT : RuleOutcome.Status.CONDITION_FAILED, List.of(),
                    d.trace());
        }
        return payer.pay(work, crs, rule, facts.ctx, d, source);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    RuleContext context(StoreTransaction tx, CompiledRuleSet crs, Program program, Advocate advocate,
            Referral referral, Instant at) {
        String tier = crs.needsTier ? tier(tx, crs, advocate, at) : "";
        return referral == null ? RuleContext.ofAdvocate(program, advocate, at, tier)
                : RuleContext.of(program, advocate, referral, at, tier);
    }

    static String tier(StoreTransaction tx, CompiledRuleSet crs, Advocate advocate, Instant at) {
        Tiers tiers = crs.ruleSet.tiers();
        if (tiers.levels().isEmpty()) {
            return "";
        }
        long count = tx.counter(Keys.stageCountInYear(crs.ruleSet.programId(), advocate.id(), tiers.stage(),
                Keys.year(at)));
        return tiers.tierFor(count).orElse("");
    }

    CompiledRuleSet pinned(ProgramId programId, Instant submittedAt, Instant now) {
        CompiledRuleSet best = null;
        for (CompiledRuleSet c : versions.getOrDefault(programId, List.of())) {
            Instant from = c.ruleSet.effectiveFrom();
            if (!from.isAfter(submittedAt) || c.ruleSet.migratesInFlight() && !from.isAfter(now)) {
                best = c;
            }
        }
        return best;
    }

    CompiledRuleSet version(ProgramId programId, int version) {
        for (CompiledRuleSet c : versions.getOrDefault(programId, List.of())) {
            if (c.ruleSet.version() == version) {
                return c;
            }
        }
        return null;
    }

    List<CompiledRuleSet> versions(ProgramId programId) {
        return versions.getOrDefault(programId, List.of());
    }

    /** Configures a {@link RewardsEngine}. Not thread-safe. */
    public static final class Builder {
        private final List<RuleSet> ruleSets = new ArrayList<>();
        private RewardApprover approver;
        private RewardFulfiller fulfiller;
        private int maxFulfilmentAttempts = 5;
        private int batchSize = 500;

        private Builder() {
        }

        /**
         * Adds a rule set version.
         *
         * @throws IllegalArgumentException if a rule set with the same program and version, or the same program and
         *     effective time, was already added
         */
        public Builder ruleSet(RuleSet ruleSet) {
            Objects.requireNonNull(ruleSet, "ruleSet");
            for (RuleSet rs : ruleSets) {
                if (rs.programId().equals(ruleSet.programId()) && (rs.version() == ruleSet.version()
                        || rs.effectiveFrom().equals(ruleSet.effectiveFrom()))) {
                    throw new IllegalArgumentException("program " + ruleSet.programId() + " already has version "
                            + rs.version() + " effective from " + rs.effectiveFrom());
                }
            }
            ruleSets.add(ruleSet);
            return this;
        }

        /** The host's approval or veto, consulted for every reward before it is approved. */
        public Builder approver(RewardApprover approver) {
            this.approver = Objects.requireNonNull(approver, "approver");
            return this;
        }

        /** How approved rewards other than points are issued. */
        public Builder fulfiller(RewardFulfiller fulfiller) {
            this.fulfiller = Objects.requireNonNull(fulfiller, "fulfiller");
            return this;
        }

        /** How many times a failed fulfilment is attempted in all; default 5. */
        public Builder maxFulfilmentAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
            }
            this.maxFulfilmentAttempts = attempts;
            return this;
        }

        /** How many due rewards one {@link Rewards#processDue()} handles at most; default 500. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        public RewardsEngine build() {
            return new RewardsEngine(this);
        }
    }
}
