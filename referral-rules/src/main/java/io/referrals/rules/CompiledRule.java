package io.referrals.rules;

import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** A {@link Rule} prepared for evaluation. */
final class CompiledRule {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    final Rule rule;
    final int version;
    final CompiledCondition condition;
    final boolean needsTier;
    private final Map<String, Rule> siblings;
    private final Reason noDealValue;
    private final Map<Amount, Reason> reasons = new IdentityHashMap<>();
    private final Map<String, Reason> tierReasons = new HashMap<>();

    CompiledRule(Rule rule, int version, Tiers tiers, Map<String, Rule> siblings) {
        this.rule = rule;
        this.version = version;
        this.condition = CompiledCondition.compile(rule.condition(), tiers);
        this.siblings = siblings;
        this.needsTier = CompiledCondition.needsTier(rule.condition())
                || rule.grants().stream().anyMatch(g -> usesTier(g.give()));
        this.noDealValue = Reason.of("deal_value_missing",
                "No reward yet: the deal value of your referral is not known.");
        for (Grant g : rule.grants()) {
            prepareReasons(amountOf(g.give()));
        }
        for (Tiers.Level l : tiers.levels()) {
            tierReasons.put(l.name(), Reason.of("tier_amount", "Amount for your tier: " + l.name() + "."));
        }
    }

    private void prepareReasons(Amount a) {
        if (a instanceof Amount.MultiplierOf m) {
            reasons.put(a, Reason.of("multiplier", m.factor().stripTrailingZeros().toPlainString()
                    + "x the reward of '" + siblings.get(m.ruleId()).name() + "'."));
        } else if (a instanceof Amount.PercentOfDeal p) {
            reasons.put(a, Reason.of("percent_of_deal", p.percent().stripTrailingZeros().toPlainString()
                    + "% of the deal value."));
        } else if (a instanceof Amount.ByTier t) {
            t.tiers().values().forEach(this::prepareReasons);
            prepareReasons(t.otherwise());
        }
    }

    static Amount amountOf(Give give) {
        return give instanceof Give.Points p ? p.amount() : give instanceof Give.Cash c ? c.amount()
                : give instanceof Give.GiftCard g ? g.amount() : give instanceof Give.Donation d ? d.amount() : null;
    }

    /** Decides for {@code ctx}: conditions, then amounts. */
    RuleDecision decide(RuleContext ctx, String milestone, Reason trigger) {
        List<Reason> trace = new ArrayList<>(4);
        trace.add(trigger);
        if (!condition.eval(ctx, trace)) {
            return new RuleDecision(rule.id(), version, milestone, false, List.of(), trace);
        }
        List<Grant> grants = rule.grants();
        List<RuleDecision.Payout> payouts = new ArrayList<>(grants.size());
        for (int i = 0; i < grants.size(); i++) {
            Grant g = grants.get(i);
            Incentive incentive = incentive(g.give(), g.beneficiary(), ctx, trace);
            if (incentive == null) {
                trace.add(noDealValue);
                return new RuleDecision(rule.id(), version, milestone, false, List.of(), trace);
            }
            payouts.add(new RuleDecision.Payout(g.beneficiary(), incentive));
        }
        return new RuleDecision(rule.id(), version, milestone, true, payouts, trace);
    }

    private Incentive incentive(Give give, Beneficiary side, RuleContext ctx, List<Reason> trace) {
        if (give instanceof Give.Points p) {
            long points = points(p.amount(), side, ctx, trace);
            return points < 1 ? null : new Incentive.Points(points);
        }
        if (give instanceof Give.Cash c) {
            Money m = money(c.amount(), side, ctx, trace);
            return m == null ? null : new Incentive.Cash(m, c.accountCredit());
        }
        if (give instanceof Give.GiftCard g) {
            Money m = money(g.amount(), side, ctx, trace);
            return m == null ? null : new Incentive.GiftCard(m, g.brand());
        }
        if (give instanceof Give.Donation d) {
            Money m = money(d.amount(), side, ctx, trace);
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

    private long points(Amount a, Beneficiary side, RuleContext ctx, List<Reason> trace) {
        if (a instanceof Amount.Points p) {
            return p.points();
        }
        if (a instanceof Amount.MultiplierOf m) {
            Give base = siblings.get(m.ruleId()).grant(side).orElseThrow().give();
            long b = points(((Give.Points) base).amount(), side, ctx, null);
            if (trace != null) {
                trace.add(reasons.get(a));
            }
            return BigDecimal.valueOf(b).multiply(m.factor()).setScale(0, RoundingMode.HALF_UP).longValueExact();
        }
        if (a instanceof Amount.ByTier t) {
            Amount chosen = t.tiers().getOrDefault(ctx.tier(), t.otherwise());
            if (trace != null && t.tiers().containsKey(ctx.tier())) {
                trace.add(tierReasons.get(ctx.tier()));
            }
            return points(chosen, side, ctx, trace);
        }
        throw new IllegalStateException("not a points amount");
    }

    private Money money(Amount a, Beneficiary side, RuleContext ctx, List<Reason> trace) {
        if (a instanceof Amount.Fixed f) {
            return f.money();
        }
        if (a instanceof Amount.PercentOfDeal p) {
            Referral r = ctx.referralOrNull();
            if (r == null || r.dealValue().isEmpty()) {
                return null;
            }
            Money deal = r.dealValue().get();
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
            Amount baseAmount = amountOf(siblings.get(m.ruleId()).grant(side).orElseThrow().give());
            Money b = money(baseAmount, side, ctx, null);
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
            Amount chosen = t.tiers().getOrDefault(ctx.tier(), t.otherwise());
            if (trace != null && t.tiers().containsKey(ctx.tier())) {
                trace.add(tierReasons.get(ctx.tier()));
            }
            return money(chosen, side, ctx, trace);
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
