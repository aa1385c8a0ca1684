package io.referrals.rules;

import io.referrals.core.model.Advocate;
import io.referrals.core.model.Program;
import io.referrals.core.model.Referral;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The facts a rule is evaluated against, for {@link RewardsEngine#decide}: the program, the advocate, the referral
 * (absent for a host-defined event), the time of the event and the advocate's tier. Immutable.
 */
public final class RuleContext {
    private final Program program;
    private final Advocate advocate;
    private final Referral referral;
    private final Instant at;
    private final String tier;

    private RuleContext(Program program, Advocate advocate, Referral referral, Instant at, String tier) {
        this.program = Objects.requireNonNull(program, "program");
        this.advocate = Objects.requireNonNull(advocate, "advocate");
        this.referral = referral;
        this.at = Objects.requireNonNull(at, "at");
        this.tier = Objects.requireNonNull(tier, "tier");
    }

    /** Facts about a referral at {@code at}; {@code tier} is the advocate's tier name, or empty. */
    public static RuleContext of(Program program, Advocate advocate, Referral referral, Instant at, String tier) {
        return new RuleContext(program, advocate, Objects.requireNonNull(referral, "referral"), at, tier);
    }

    /** Facts about a host-defined event of an advocate, without a referral. */
    public static RuleContext ofAdvocate(Program program, Advocate advocate, Instant at, String tier) {
        return new RuleContext(program, advocate, null, at, tier);
    }

    public Program program() {
        return program;
    }

    public Advocate advocate() {
        return advocate;
    }

    public Optional<Referral> referral() {
        return Optional.ofNullable(referral);
    }

    public Instant at() {
        return at;
    }

    /** The advocate's tier, or empty. */
    public String tier() {
        return tier;
    }
}
