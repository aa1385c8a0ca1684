package io.referrals.rules.internal;

import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.Stage;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.rules.definition.RuleSet;
import io.referrals.rules.definition.Tiers;
import io.referrals.rules.result.RuleDecision;
import io.referrals.rules.result.RuleOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The compiled rule set versions of every program, and how one rule is judged for one event: the versions pin
 * referrals to rules (see {@link RuleSet}), {@link #judge} decides and pays. Immutable and thread-safe.
 */
public final class RuleBook {
    private final Map<ProgramId, List<CompiledRuleSet>> versions;
    private final Payer payer;

    /**
     * Compiles {@code ruleSets}; {@code autoApprove} when rewards nothing holds back are approved as soon as they
     * are earned (there is no host approver).
     */
    public RuleBook(List<RuleSet> ruleSets, boolean autoApprove) {
        Map<ProgramId, List<CompiledRuleSet>> map = new HashMap<>();
        for (RuleSet rs : ruleSets) {
            map.computeIfAbsent(rs.programId(), k -> new ArrayList<>()).add(new CompiledRuleSet(rs));
        }
        map.replaceAll((k, v) -> {
            List<CompiledRuleSet> sorted = new ArrayList<>(v);
            sorted.sort(Comparator.comparing((CompiledRuleSet c) -> c.ruleSet.effectiveFrom())
                    .thenComparingInt(c -> c.ruleSet.version()));
            return List.copyOf(sorted);
        });
        this.versions = Map.copyOf(map);
        this.payer = new Payer(autoApprove);
    }

    /** How many programs have rules. */
    public int programs() {
        return versions.size();
    }

    /** See {@link io.referrals.rules.RewardsEngine#ruleSetFor}. */
    public Optional<RuleSet> ruleSetFor(ProgramId programId, Instant submittedAt, Instant now) {
        return Optional.ofNullable(pinned(programId, submittedAt, now)).map(c -> c.ruleSet);
    }

    /** See {@link io.referrals.rules.RewardsEngine#ruleSet}. */
    public Optional<RuleSet> ruleSet(ProgramId programId, int version) {
        return Optional.ofNullable(version(programId, version)).map(c -> c.ruleSet);
    }

    /**
     * What the pinned rules decide for {@code referral} entering {@code stage} at {@code at}, for an advocate in
     * {@code tier} (or none, when empty), without writing anything. See
     * {@link io.referrals.rules.RewardsEngine#decide}.
     */
    public List<RuleDecision> decide(Program program, Advocate advocate, Referral referral, Instant at, String tier,
            Stage stage) {
        CompiledRuleSet crs = pinned(program.id(), referral.submittedAt(), at);
        if (crs == null) {
            return List.of();
        }
        List<CompiledRule> rules = crs.stageRules(stage);
        List<RuleDecision> decisions = new ArrayList<>(rules.size());
        Facts facts = new Facts(crs, program, advocate, referral, at, tier);
        String milestone = crs.stageMilestone(stage);
        Reason trigger = crs.stageReason(stage);
        for (int i = 0; i < rules.size(); i++) {
            decisions.add(rules.get(i).decide(facts, milestone, trigger));
        }
        return decisions;
    }

    /** Decides one rule for an event and, if it matched, pays it (exactly once, within its limits). */
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
        return payer.pay(work, crs, rule, facts, d, source);
    }

    /** The writes behind rewards. */
    Payer payer() {
        return payer;
    }

    /** True when rewards nothing holds back are approved as soon as they are earned. */
    boolean autoApprove() {
        return payer.autoApprove;
    }

    /** The facts of an event at {@code at} ({@code referral} {@code null} for a host-defined event), tier included. */
    Facts facts(StoreTransaction tx, CompiledRuleSet crs, Program program, Advocate advocate, Referral referral,
            Instant at) {
        String tier = crs.needsTier ? tier(Counters.of(tx), crs, advocate, at) : "";
        return new Facts(crs, program, advocate, referral, at, tier);
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

    /**
     * The version that judges a referral submitted at {@code submittedAt}, at {@code now}: the latest version
     * effective at submission, or a later one that migrates referrals in flight and is effective now; or
     * {@code null}.
     */
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

    /** The version with this number, or {@code null}. */
    CompiledRuleSet version(ProgramId programId, int version) {
        for (CompiledRuleSet c : versions.getOrDefault(programId, List.of())) {
            if (c.ruleSet.version() == version) {
                return c;
            }
        }
        return null;
    }

    /** The program's versions, oldest first. */
    List<CompiledRuleSet> versions(ProgramId programId) {
        return versions.getOrDefault(programId, List.of());
    }

    /** The rule set version that paid {@code r}, or {@code null} (a catalogue or contest reward of an old version). */
    CompiledRuleSet versionOf(Reward r) {
        return version(r.programId(), r.ruleVersion());
    }

    /** The rule that paid {@code r}, or {@code null} for a reward not paid by a rule (redemption, contest prize). */
    CompiledRule ruleOf(Reward r) {
        CompiledRuleSet crs = versionOf(r);
        return crs == null ? null : crs.byId.get(r.ruleId());
    }

    /** The name of the rule that paid {@code r}, or its rule id. */
    String ruleName(Reward r) {
        CompiledRule rule = ruleOf(r);
        return rule == null ? r.ruleId() : rule.rule.name();
    }
}
