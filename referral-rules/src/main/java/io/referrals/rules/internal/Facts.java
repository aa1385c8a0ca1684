package io.referrals.rules.internal;

import io.referrals.core.model.Advocate;
import io.referrals.core.model.Money;
import io.referrals.core.model.Program;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import java.time.Instant;
import java.util.Objects;

/**
 * The facts of one event, worked out once and shared by every rule judged for it: the program, the advocate, the
 * referral (absent for a host-defined event) with its prospect and deal value, the time of the event, the advocate's
 * tier, and the outcome of each distinct condition of the rule set (conditions shared by several rules are decided
 * once per event). One per event and per thread; not thread-safe.
 */
final class Facts {
    final Program program;
    final Advocate advocate;
    /** The referral, or {@code null} for a host-defined event. */
    final Referral referral;
    /** The prospect, or {@code null} without a referral. */
    final Prospect prospect;
    /** The deal value, or {@code null} when unknown. */
    final Money deal;
    /** When the event happened. */
    final Instant at;
    /** The advocate's tier, or empty. */
    final String tier;
    /** Condition outcomes by slot: 0 not decided yet, 1 holds, 2 does not hold. */
    final byte[] results;
    /** Condition traces by slot, {@code null} until asked for. */
    final CompiledCondition.Fragment[] traces;

    /** The facts of an event of {@code referral} ({@code null} for a host-defined event) judged by {@code crs}. */
    Facts(CompiledRuleSet crs, Program program, Advocate advocate, Referral referral, Instant at, String tier) {
        this.program = Objects.requireNonNull(program, "program");
        this.advocate = Objects.requireNonNull(advocate, "advocate");
        this.referral = referral;
        this.prospect = referral == null ? null : referral.prospect();
        this.deal = referral == null ? null : referral.dealValue().orElse(null);
        this.at = Objects.requireNonNull(at, "at");
        this.tier = Objects.requireNonNull(tier, "tier");
        this.results = new byte[crs.conditionSlots];
        this.traces = new CompiledCondition.Fragment[crs.conditionSlots];
    }

    /** The same event, for an advocate now in {@code newTier}, with nothing decided yet. */
    Facts withTier(CompiledRuleSet crs, String newTier) {
        return new Facts(crs, program, advocate, referral, at, newTier);
    }
}
