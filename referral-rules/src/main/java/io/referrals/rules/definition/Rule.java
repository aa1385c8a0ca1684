package io.referrals.rules.definition;

import io.referrals.core.error.FieldError;
import io.referrals.core.error.ValidationException;
import io.referrals.core.model.Beneficiary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A reward rule: a {@link Trigger}, a {@link Condition}, what each side gets ({@link Grant}s) and {@link Limit}s,
 * with a holding period before approval and a clawback window. Immutable; build with {@link #builder(String)}.
 *
 * @param id the rule's id, unique in its rule set, lower-case
 * @param name a name safe to show the advocate; the id when blank
 * @param trigger when the rule considers paying
 * @param condition what must hold
 * @param grants what each side gets; at most one grant per beneficiary, at least one grant
 * @param limits the limits that apply, in order
 * @param holdFor how long a reward stays pending before it can be approved (a refund window); zero for none
 * @param clawbackWithin how long after a reward was earned it can still be clawed back; zero for never
 * @param whenReopened what becomes of this rule's rewards reversed while their referral was lost, when the referral
 *     is reopened
 */
public record Rule(String id, String name, Trigger trigger, Condition condition, List<Grant> grants,
        List<Limit> limits, Duration holdFor, Duration clawbackWithin, WhenReopened whenReopened) {

    /**
     * What a rule does with its rewards that were reversed (clawed back, points taken back) while their referral was
     * lost, when the referral is reopened (see {@link io.referrals.core.model.StagePipeline.Builder#reopen}).
     */
    public enum WhenReopened {
        /** The default: what was reversed stays reversed; the referral earns only milestones it had not paid. */
        KEEP_REVERSED,
        /**
         * Each reward reversed between the loss and the reopening is paid again, once, in the reopening's own
         * transaction: a new reward of the same rule, milestone {@code reopened:<n>:<milestone>} for the referral's
         * n-th reopening, giving what was taken back (for points, only the points the reversal took back), within
         * the rule's limits, held and approved as the rule's rewards are.
         */
        PAY_AGAIN
    }

    /** A rule whose rewards reversed at a loss stay reversed on a reopening ({@link WhenReopened#KEEP_REVERSED}). */
    public Rule(String id, String name, Trigger trigger, Condition condition, List<Grant> grants, List<Limit> limits,
            Duration holdFor, Duration clawbackWithin) {
        this(id, name, trigger, condition, grants, limits, holdFor, clawbackWithin, WhenReopened.KEEP_REVERSED);
    }

    /**
     * @throws NullPointerException if a component other than {@code id} and {@code trigger} is null
     * @throws ValidationException naming every problem: an id that is not a name, no trigger, no grant, two grants
     *     for one side, points for the referred party, a negative duration
     */
    public Rule {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            name = id;
        }
        Objects.requireNonNull(condition, "condition");
        grants = List.copyOf(grants);
        limits = List.copyOf(limits);
        Objects.requireNonNull(holdFor, "holdFor");
        Objects.requireNonNull(clawbackWithin, "clawbackWithin");
        Objects.requireNonNull(whenReopened, "whenReopened");
        RuleSetChecks.throwIfAny(problems(id, trigger, grants, holdFor, clawbackWithin));
    }

    /**
     * A builder for a rule with this id: no condition, no limits, no holding period, no clawback, and rewards
     * reversed at a loss kept reversed when the referral is reopened.
     *
     * @throws IllegalArgumentException if {@code id} is not 1-64 lower-case letters, digits and _.-
     */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** The grant for {@code beneficiary}, if the rule has one. */
    public Optional<Grant> grant(Beneficiary beneficiary) {
        return grants.stream().filter(g -> g.beneficiary() == beneficiary).findFirst();
    }

    private static List<FieldError> problems(String id, Trigger trigger, List<Grant> grants, Duration holdFor,
            Duration clawbackWithin) {
        List<FieldError> problems = new ArrayList<>();
        RuleSetChecks.name(id, "id", "a rule id", problems);
        String rule = "rule '" + id + "'";
        if (trigger == null) {
            problems.add(new FieldError("when", "required", rule + " needs a trigger"));
        }
        if (grants.isEmpty()) {
            problems.add(new FieldError("grants", "required",
                    rule + " gives nothing: add an advocate or referred grant"));
        }
        Set<Beneficiary> sides = EnumSet.noneOf(Beneficiary.class);
        for (Grant g : grants) {
            String side = g.beneficiary() == Beneficiary.ADVOCATE ? "advocate" : "referred";
            if (!sides.add(g.beneficiary())) {
                problems.add(new FieldError(side, "invalid_value", rule + " has two grants for " + g.beneficiary()));
            }
            if (g.beneficiary() == Beneficiary.REFERRED_PARTY && g.give() instanceof Give.Points) {
                problems.add(new FieldError(side, "invalid_value",
                        rule + ": points go to advocates, not referred parties"));
            }
        }
        RuleSetChecks.notNegative(holdFor, "holdFor", problems);
        RuleSetChecks.notNegative(clawbackWithin, "clawbackWithin", problems);
        return problems;
    }

    /**
     * Builds a {@link Rule}. Each method refuses a bad argument at once; what is wrong with the rule as a whole (no
     * trigger, no grant, two grants for one side, points for the referred party, an incomplete limit) is reported by
     * {@link #build()}, all at once, or with every other problem of the rule set it is added to. Not thread-safe.
     */
    public static final class Builder {
        private final String id;
        private String name = "";
        private Trigger trigger;
        private Condition condition = Condition.always();
        private final List<Grant> grants = new ArrayList<>();
        private final List<Limit> limits = new ArrayList<>();
        /** Problems of the parts added so far, at their paths in the rule. */
        private final List<FieldError> partProblems = new ArrayList<>();
        private Duration holdFor = Duration.ZERO;
        private Duration clawbackWithin = Duration.ZERO;
        private WhenReopened whenReopened = WhenReopened.KEEP_REVERSED;

        private Builder(String id) {
            this.id = Names.requireName(id, "rule id");
        }

        /** A name safe to show the advocate; the id by default. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** When the rule considers paying; required. */
        public Builder when(Trigger trigger) {
            this.trigger = Objects.requireNonNull(trigger, "trigger");
            return this;
        }

        /** The condition; calling it again replaces the previous one. */
        public Builder only(Condition condition) {
            this.condition = Objects.requireNonNull(condition, "condition");
            return this;
        }

        /** What the advocate gets. */
        public Builder advocate(Give give) {
            grants.add(new Grant(Beneficiary.ADVOCATE, give));
            return this;
        }

        /** What the referred party gets; never points. */
        public Builder referred(Give give) {
            grants.add(new Grant(Beneficiary.REFERRED_PARTY, give));
            return this;
        }

        /** Adds a limit; limits apply in the order added. */
        public Builder limit(Limit limit) {
            limits.add(Objects.requireNonNull(limit, "limit"));
            return this;
        }

        /**
         * Adds a per-advocate limit as it stands now, such as
         * {@code Limit.perAdvocate("yearly-cap").perYear().maxValue(Money.of("10000", "USD"))}; its problems are
         * reported by {@link #build()} with the rule's.
         */
        public Builder limit(Limit.PerAdvocate.Builder limit) {
            Objects.requireNonNull(limit, "limit");
            List<FieldError> problems = limit.problems();
            if (problems.isEmpty()) {
                limits.add(limit.build());
            } else {
                partProblems.addAll(RuleSetChecks.under("limits[" + limits.size() + "]", problems));
                limits.add(null);
            }
            return this;
        }

        /**
         * How long a reward stays pending before it can be approved; zero (the default) for none.
         *
         * @throws IllegalArgumentException if {@code holdFor} is negative
         */
        public Builder holdFor(Duration holdFor) {
            this.holdFor = requireNotNegative(holdFor, "holdFor");
            return this;
        }

        /**
         * How long after a reward was earned it can be clawed back; zero (the default) for never.
         *
         * @throws IllegalArgumentException if {@code clawbackWithin} is negative
         */
        public Builder clawbackWithin(Duration clawbackWithin) {
            this.clawbackWithin = requireNotNegative(clawbackWithin, "clawbackWithin");
            return this;
        }

        /**
         * What becomes of this rule's rewards reversed while their referral was lost, when it is reopened;
         * {@link WhenReopened#KEEP_REVERSED} by default.
         */
        public Builder whenReopened(WhenReopened whenReopened) {
            this.whenReopened = Objects.requireNonNull(whenReopened, "whenReopened");
            return this;
        }

        private static Duration requireNotNegative(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " cannot be negative");
            }
            return d;
        }

        /**
         * The rule.
         *
         * @throws ValidationException naming every problem of the rule and its limits
         */
        public Rule build() {
            List<FieldError> problems = problems();
            RuleSetChecks.throwIfAny(problems);
            return new Rule(id, name, trigger, condition, grants, limits, holdFor, clawbackWithin, whenReopened);
        }

        /** Every problem {@link #build()} would report; empty if it would succeed. */
        List<FieldError> problems() {
            List<FieldError> problems = Rule.problems(id, trigger, grants, holdFor, clawbackWithin);
            problems.addAll(partProblems);
            return problems;
        }
    }
}
