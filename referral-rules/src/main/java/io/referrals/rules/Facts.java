package io.referrals.rules;

import io.referrals.core.model.Money;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;

/**
 * The facts of one event, worked out once and shared by every rule judged for it: the referral's prospect and deal
 * value, and the outcome of each distinct condition of the rule set (conditions shared by several rules are decided
 * once per event). One per event and per thread; not thread-safe.
 */
final class Facts {
    final RuleContext ctx;
    /** The referral, or {@code null} for a host-defined event. */
    final Referral referral;
    /** The prospect, or {@code null} without a referral. */
    final Prospect prospect;
    /** The deal value, or {@code null} when unknown. */
    final Money deal;
    /** Condition outcomes by slot: 0 not decided yet, 1 holds, 2 does not hold. */
    final byte[] results;
    /** Condition traces by slot, {@code null} until asked for. */
    final CompiledCondition.Fragment[] traces;

    Facts(RuleContext ctx, CompiledRuleSet crs) {
        this(ctx, crs.conditionSlots);
    }

    Facts(RuleContext ctx, int slots) {
        this.ctx = ctx;
        this.referral = ctx.referralOrNull();
        this.prospect = referral == null ? null : referral.prospect();
        this.deal = referral == null ? null : referral.dealValue().orElse(null);
        this.results = new byte[slots];
        this.traces = new CompiledCondition.Fragment[slots];
    }
}
