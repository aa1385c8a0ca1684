package io.referrals.rules.internal;

import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import io.referrals.core.model.Reason;
import io.referrals.rules.definition.Amount;
import io.referrals.rules.definition.Give;
import io.referrals.rules.definition.Grant;
import io.referrals.rules.definition.Rule;
import io.referrals.rules.definition.Tiers;
import io.referrals.rules.definition.Trigger;
import io.referrals.rules.result.RuleDecision;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Rule} prepared for evaluation. Everything that does not depend on the event is worked out here, once:
 * the condition tree (shared with the other rules of the set, see {@link CompiledCondition.Compiler}), the reasons,
 * the incentives of fixed amounts, the trace added by the amounts, the milestone and reason of an Nth-referral
 * trigger. Thread-safe: its only mutable state is a cache of the last trace built, an immutable value.
 */
final class CompiledRule {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    final Rule rule;
    final int version;
    final CompiledCondition condition;
    final boolean needsTier;
    /** For an Nth-referral trigger, its milestone and trigger reason; otherwise {@code null}. */
    final String nthMilestone;
    final Reason nthReason;
    private final Map<String, Rule> siblings;
    private final Reason noDealValue;
    private final Map<Amount, Reason> reasons = new IdentityHashMap<>();
    private final Map<String, Reason> tierReasons = new HashMap<>();
    /** The base amount of each multiplier of this rule, resolved through its sibling rule. */
    private final Map<Amount, Amount> bases = new IdentityHashMap<>();

    /** True when no amount depends on the tier: the trace the amounts add is then known in advance. */
    private final boolean preparedAmounts;
    /** Per grant: its payout when it does not depend on the event, else {@code null}. */
    private final RuleDecision.Payout[] fixedPayouts;
    /** All payouts, when none depends on the event; else {@code null}. */
    private final List<RuleDecision.Payout> allFixed;
    /** The reasons the amounts add when every grant has an amount. */
    private final CompiledCondition.Fragment paidTail;
    /** Per grant: the reasons added when this grant has no amount (the earlier grants' reasons, then why). */
    private final CompiledCondition.Fragment[] missingTails;
    private final CompiledCondition.Fragment failedTail = CompiledCondition.Fragment.EMPTY;
    /** The last trace built, reused while its parts are the same objects. */
    private volatile Trace last;

    private record Trace(Reason trigger, CompiledCondition.Fragment condition, CompiledCondition.Fragment tail,
            List<Reason> reasons) {
    }

    CompiledRule(Rule rule, int version, Tiers tiers, Map<String, Rule> siblings,
            CompiledCondition.Compiler conditions) {
        this.rule = rule;
        this.version = version;
        this.condition = conditions.compile(rule.condition());
        this.siblings = siblings;
        this.needsTier = CompiledCondition.needsTier(rule.condition())
                || rule.grants().stream().anyMatch(g -> usesTier(g.give()));
        this.noDealValue = Reason.of("deal_value_missing",
                "No reward yet: the deal value of your referral is not known.");
        for (Grant g : rule.grants()) {
            prepare(amountOf(g.give()), g.beneficiary());
        }
        for (Tiers.Level l : tiers.levels()) {
            tierReasons.put(l.name(), Reason.of("tier_amount", "Amount for your tier: " + l.name() + "."));
        }
        if (rule.trigger() instanceof Trigger.NthReferral n) {
            nthMilestone = "nth:" + n.stage().name() + ":" + n.n();
            nthReason = Reason.of("trigger", "This is your referral number " + n.n() + " to reach the stage '"
                    + n.stage().name() + "'.");
        } else {
            nthMilestone = null;
            nthReason = null;
        }

        List<Grant> grants = rule.grants();
        boolean prepared = true;
        for (Grant g : grants) {
            prepared &= !chainHas(amountOf(g.give()), g.beneficiary(), Amount.ByTier.class);
        }
        RuleDecision.Payout[] fixed = new RuleDecision.Payout[grants.size()];
        CompiledCondition.Fragment[] missing = new CompiledCondition.Fragment[grants.size()];
        List<Reason> tail = new ArrayList<>();
        boolean allFixedPayouts = true;
        for (int i = 0; prepared && i < grants.size(); i++) {
            Grant g = grants.get(i);
            List<Reason> withMissing = new ArrayList<>(tail);
            withMissing.add(noDealValue);
            missing[i] = new CompiledCondition.Fragment(List.copyOf(withMissing));
            Amount a = amountOf(g.give());
            if (a != null && !chainHas(a, g.beneficiary(), Amount.PercentOfDeal.class)) {
                List<Reason> reasonsOfFixed = new ArrayList<>();
                Incentive incentive = incentive(g.give(), g.beneficiary(), null, reasonsOfFixed);
                if (incentive == null) {
                    prepared = false;
                    break;
                }
                fixed[i] = new RuleDecision.Payout(g.beneficiary(), incentive);
                tail.addAll(reasonsOfFixed);
            } else if (a == null) {
                fixed[i] = new RuleDecision.Payout(g.beneficiary(), staticIncentive(g.give()));
            } else {
                allFixedPayouts = false;
                Reason r = reasons.get(a);
                if (r != null) {
                    tail.add(r);
                }
            }
        }
        this.preparedAmounts = prepared;
        this.fixedPayouts = fixed;
        this.missingTails = missing;
        this.paidTail = new CompiledCondition.Fragment(List.copyOf(tail));
        this.allFixed = prepared && allFixedPayouts ? List.of(fixed) : null;
    }

    private void prepare(Amount a, Beneficiary side) {
        if (a instanceof Amount.MultiplierOf m) {
            reasons.put(a, Reason.of("multiplier", m.factor().stripTrailingZeros().toPlainString()
                    + "x the reward of '" + siblings.get(m.ruleId()).name() + "'."));
            Amount base = siblings.get(m.ruleId()).grant(side).map(g -> amountOf(g.give())).orElse(null);
            if (base != null) {
                bases.put(a, base);
                if (base instanceof Amount.MultiplierOf || base instanceof Amount.ByTier) {
                    prepare(base, side);
                }
            }
        } else if (a instanceof Amount.PercentOfDeal p) {
            reasons.put(a, Reason.of("percent_of_deal", p.percent().stripTrailingZeros().toPlainString()
                    + "% of the deal value."));
        } else if (a instanceof Amount.ByTier t) {
            t.tiers().values().forEach(x -> prepare(x, side));
            prepare(t.otherwise(), side);
        }
    }

    /** Whether {@code a}, or an amount it is worked out from, is of {@code kind}. */
    private boolean chainHas(Amount a, Beneficiary side, Class<? extends Amount> kind) {
        if (a == null) {
            return false;
        }
        if (kind.isInstance(a)) {
            return true;
        }
        if (a instanceof Amount.MultiplierOf) {
            return chainHas(bases.get(a), side, kind);
        }
        if (a instanceof Amount.ByTier t) {
            return t.tiers().values().stream().anyMatch(x -> chainHas(x, side, kind))
                    || chainHas(t.otherwise(), side, kind);
        }
        return false;
    }

    static Amount amountOf(Give give) {
        return give instanceof Give.Points p ? p.amount() : give instanceof Give.Cash c ? c.amount()
                : give instanceof Give.GiftCard g ? g.amount() : give instanceof Give.Donation d ? d.amount() : null;
    }

    /** Decides for the event: conditions, then amounts. */
    RuleDecision decide(Facts f, String milestone, Reason trigger) {
        boolean holds = condition.test(f);
        CompiledCondition.Fragment why = condition.trace(f);
        if (!holds) {
            return new RuleDecision(rule.id(), version, milestone, false, List.of(), trace(trigger, why, failedTail));
        }
        if (!preparedAmounts) {
            return decideWithTier(f, milestone, trigger, why);
        }
        if (allFixed != null) {
            return new RuleDecision(rule.id(), version, milestone, true, allFixed, trace(trigger, why, paidTail));
        }
        List<Grant> grants = rule.grants();
        RuleDecision.Payout first = null;
        RuleDecision.Payout second = null;
        for (int i = 0; i < grants.size(); i++) {
            RuleDecision.Payout p = fixedPayouts[i];
            if (p == null) {
                Grant g = grants.get(i);
                Incentive incentive = incentive(g.give(), g.beneficiary(), f, null);
                if (incentive == null) {
                    return new RuleDecision(rule.id(), version, milestone, false, List.of(),
                            trace(trigger, why, missingTails[i]));
                }
                p = new RuleDecision.Payout(g.beneficiary(), incentive);
            }
            if (i == 0) {
                first = p;
            } else {
                second = p;
            }
        }
        List<RuleDecision.Payout> payouts = second == null ? List.of(first) : List.of(first, second);
        return new RuleDecision(rule.id(), version, milestone, true, payouts, trace(trigger, why, paidTail));
    }

    /** The general path, for amounts that depend on the tier: the trace is built as the amounts are worked out. */
    private RuleDecision decideWithTier(Facts f, String milestone, Reason trigger, CompiledCondition.Fragment why) {
        List<Reason> trace = new ArrayList<>(4);
        trace.add(trigger);
        trace.addAll(why.reasons);
        List<Grant> grants = rule.grants();
        List<RuleDecision.Payout> payouts = new ArrayList<>(grants.size());
        for (int i = 0; i < grants.size(); i++) {
            Grant g = grants.get(i);
            Incentive incentive = incentive(g.give(), g.beneficiary(), f, trace);
            if (incentive == null) {
                trace.add(noDealValue);
                return new RuleDecision(rule.id(), version, milestone, false, List.of(), trace);
            }
            payouts.add(new RuleDecision.Payout(g.beneficiary(), incentive));
        }
        return new RuleDecision(rule.id(), version, milestone, true, payouts, trace);
    }

    private List<Reason> trace(Reason trigger, CompiledCondition.Fragment why, CompiledCondition.Fragment tail) {
        Trace t = last;
        if (t != null && t.trigger == trigger && t.condition == why && t.tail == tail) {
            return t.reasons;
        }
        Reason[] all = new Reason[1 + why.reasons.size() + tail.reasons.size()];
        all[0] = trigger;
        int k = 1;
        for (Reason r : why.reasons) {
            all[k++] = r;
        }
        for (Reason r : tail.reasons) {
            all[k++] = r;
        }
        List<Reason> reasonList = List.of(all);
        last = new Trace(trigger, why, tail, reasonList);
        return reasonList;
    }

    /** The incentive of {@code give} for the event ({@code null} facts: an amount that does not depend on one). */
    private Incentive incentive(Give give, Beneficiary side, Facts f, List<Reason> trace) {
        if (give instanceof Give.Points p) {
            long points = points(p.amount(), side, f, trace);
            return points < 1 ? null : new Incentive.Points(points);
        }
        if (give instanceof Give.Cash c) {
            Money m = money(c.amount(), side, f, trace);
            return m == null ? null : new Incentive.Cash(m, c.accountCredit());
        }
        if (give instanceof Give.GiftCard g) {
            Money m = money(g.amount(), side, f, trace);
            return m == null ? null : new Incentive.GiftCard(m, g.brand());
        }
        if (give instanceof Give.Donation d) {
            Money m = money(d.amount(), side, f, trace);
            return m == null ? null : new Incentive.Donation(m, d.charity());
        }
        return staticIncentive(give);
    }

    /**
     * The incentive of a give whose amount does not depend on an event: a fixed amount, a discount, a perk, a custom
     * incentive; {@code null} for an amount that needs a referral or a tier.
     */
    static Incentive fixedIncentive(Give give) {
        Amount a = amountOf(give);
        if (a == null) {
            return staticIncentive(give);
        }
        if (give instanceof Give.Points && a instanceof Amount.Points p) {
            return new Incentive.Points(p.points());
        }
        if (a instanceof Amount.Fixed f) {
            if (give instanceof Give.Cash c) {
                return new Incentive.Cash(f.money(), c.accountCredit());
            }
            if (give instanceof Give.GiftCard g) {
                return new Incentive.GiftCard(f.money(), g.brand());
            }
            if (give instanceof Give.Donation d) {
                return new Incentive.Donation(f.money(), d.charity());
            }
        }
        return null;
    }

    /** The incentive of a give without an amount (discount, perk, custom). */
    static Incentive staticIncentive(Give give) {
        if (give instanceof Give.Discount d) {
            return new Incentive.Discount(d.percentOff(), d.amountOff(), "");
        }
        if (give instanceof Give.Perk p) {
            return new Incentive.Perk(p.kind(), p.description());
        }
        if (give instanceof Give.Custom c) {
            return new Incentive.Custom(c.type(), c.payload());
        }
        throw new IllegalArgumentException("give with an amount: " + give.getClass().getSimpleName());
    }

    private long points(Amount a, Beneficiary side, Facts f, List<Reason> trace) {
        if (a instanceof Amount.Points p) {
            return p.points();
        }
        if (a instanceof Amount.MultiplierOf m) {
            long b = points(bases.get(a), side, f, null);
            if (trace != null) {
                trace.add(reasons.get(a));
            }
            return BigDecimal.valueOf(b).multiply(m.factor()).setScale(0, RoundingMode.HALF_UP).longValueExact();
        }
        if (a instanceof Amount.ByTier t) {
            String tier = f.tier;
            Amount chosen = t.tiers().getOrDefault(tier, t.otherwise());
            if (trace != null && t.tiers().containsKey(tier)) {
                trace.add(tierReasons.get(tier));
            }
            return points(chosen, side, f, trace);
        }
        throw new IllegalStateException("not a points amount");
    }

    private Money money(Amount a, Beneficiary side, Facts f, List<Reason> trace) {
        if (a instanceof Amount.Fixed x) {
            return x.money();
        }
        if (a instanceof Amount.PercentOfDeal p) {
            Money deal = f == null ? null : f.deal;
            if (deal == null) {
                return null;
            }
            BigDecimal v = deal.amount().multiply(p.percent()).divide(HUNDRED)
                    .setScale(Math.max(0, deal.currency().getDefaultFractionDigits()), RoundingMode.HALF_EVEN);
            if (v.signum() <= 0) {
                return null;
            }
            if (trace != null) {
                trace.add(reasons.get(a));
            }
            return new Money(v, deal.currency());
        }
        if (a instanceof Amount.MultiplierOf m) {
            Money b = money(bases.get(a), side, f, null);
            if (b == null) {
                return null;
            }
            if (trace != null) {
                trace.add(reasons.get(a));
            }
            return new Money(b.amount().multiply(m.factor()).setScale(
                    Math.max(0, b.currency().getDefaultFractionDigits()), RoundingMode.HALF_EVEN), b.currency());
        }
        if (a instanceof Amount.ByTier t) {
            String tier = f.tier;
            Amount chosen = t.tiers().getOrDefault(tier, t.otherwise());
            if (trace != null && t.tiers().containsKey(tier)) {
                trace.add(tierReasons.get(tier));
            }
            return money(chosen, side, f, trace);
        }
        throw new IllegalStateException("not a money amount");
    }

    private boolean usesTier(Give give) {
        Amount a = amountOf(give);
        while (a instanceof Amount.MultiplierOf m) {
            Give base = siblings.get(m.ruleId()).grant(Beneficiary.ADVOCATE).map(Grant::give).orElse(null);
            a = base == null ? null : amountOf(base);
        }
        return a instanceof Amount.ByTier;
    }
}
