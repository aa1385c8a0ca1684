package io.referrals.rules;

import io.referrals.core.ReferralEngine;
import io.referrals.core.hook.ReferralHook;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.storage.StoreTransaction;
import java.time.Duration;
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

    static final Reason REFERRAL_DENIED = Reason.of("referral_denied",
            "No reward: your referral did not pass review.");
    static final Reason REVIEW_CLEARED = Reason.of(Payer.REVIEW_CLEARED, "Your referral passed review.");

    private final Map<ProgramId, List<CompiledRuleSet>> versions;
    final RewardApprover approver;
    final RewardFulfiller fulfiller;
    final int maxFulfilmentAttempts;
    final Duration fulfilmentLease;
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
        this.fulfilmentLease = b.fulfilmentLease;
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

    /**
     * Judges the rules triggered by a capture. A referral flagged for review earns its rewards held (pending, with
     * the reason {@code review_pending}) until the review is decided; a denied referral earns nothing.
     */
    @Override
    public void afterCapture(UnitOfWork work, Program program, Advocate advocate, Referral referral) {
        if (referral.review() == ReviewStatus.DENIED) {
            return;
        }
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

    /**
     * Judges the rules triggered by a stage change; as for {@link #afterCapture}, held while the referral is flagged
     * and nothing for a denied referral.
     */
    @Override
    public void afterTransition(UnitOfWork work, Program program, Advocate advocate, Referral referral,
            TimelineEntry entry) {
        if (referral.review() == ReviewStatus.DENIED) {
            return;
        }
        CompiledRuleSet crs = pinned(program.id(), referral.submittedAt(), work.now());
        if (crs == null) {
            return;
        }
        RuleContext ctx = context(work.store(), crs, program, advocate, referral, work.now());
        reached(work, crs, new Facts(ctx, crs), entry.to(), RewardSource.referral(referral.id()));
    }

    /**
     * Settles the rewards held for a review. Approved: each reward held for the review is released, due when its own
     * holding period (counted from when it was earned) ends, and approved at once when that is over and no approver
     * is configured, as it would have been without the review. Denied: the referral's pending and approved (not yet
     * fulfilled) rewards are rejected with the reason {@code referral_denied}, their share of the limits is freed
     * and {@link io.referrals.core.event.RewardRejected} is emitted; rewards already fulfilled are left alone.
     */
    @Override
    public void afterReview(UnitOfWork work, Program program, Advocate advocate, Referral referral) {
        ReviewStatus decision = referral.review();
        if (decision != ReviewStatus.APPROVED && decision != ReviewStatus.DENIED) {
            return;
        }
        StoreTransaction tx = work.store();
        int settled = 0;
        for (Reward r : tx.rewardsOfReferral(referral.id())) {
            CompiledRuleSet crs = version(r.programId(), r.ruleVersion());
            if (decision == ReviewStatus.DENIED) {
                if (r.status() == RewardStatus.PENDING || r.status() == RewardStatus.APPROVED) {
                    Payer.reject(work, crs, r, advocate, REFERRAL_DENIED);
                    settled++;
                }
            } else if (r.status() == RewardStatus.PENDING && Payer.awaitingReview(r)) {
                CompiledRule rule = crs == null ? null : crs.byId.get(r.ruleId());
                Instant due = rule == null ? r.createdAt() : r.createdAt().plus(rule.rule.holdFor());
                Reward released = Payer.revise(r, RewardStatus.PENDING, due, REVIEW_CLEARED, work.now());
                if (!tx.updateReward(released)) {
                    throw Payer.concurrent(r);
                }
                if (payer.autoApprove && !due.isAfter(work.now())) {
                    Payer.approve(work, released, advocate, rule == null ? r.ruleId() : rule.rule.name());
                }
                settled++;
            }
        }
        LOG.debug("referral {} reviewed {}: {} rewards settled", referral.id(), decision, settled);
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
        return crs.ruleSet.tiers().levels().isEmpty() ? "" : tier(Counters.of(tx), crs, advocate, at);
    }

    /** The advocate's tier at {@code at}, from the per-year stage counts in {@code counters}; empty without tiers. */
    static String tier(Counters counters, CompiledRuleSet crs, Advocate advocate, Instant at) {
        Tiers tiers = crs.ruleSet.tiers();
        if (tiers.levels().isEmpty()) {
            return "";
        }
        long count = counters.counter(Keys.stageCountInYear(crs.ruleSet.programId(), advocate.id(), tiers.stage(),
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
        private Duration fulfilmentLease = Duration.ofMinutes(10);
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

        /**
         * How long a {@link Rewards#processDue()} run holds its claim on a reward while the fulfiller issues it;
         * default 10 minutes. While the claim holds, no other run calls the fulfiller for that reward; once it lapses
         * (the run crashed before recording the result) a later run claims the reward again and repeats the same
         * attempt. Choose it longer than the fulfiller's slowest call.
         *
         * @throws IllegalArgumentException if the lease is not positive
         */
        public Builder fulfilmentLease(Duration lease) {
            Objects.requireNonNull(lease, "lease");
            if (lease.isNegative() || lease.isZero()) {
                throw new IllegalArgumentException("lease must be positive: " + lease);
            }
            this.fulfilmentLease = lease;
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
