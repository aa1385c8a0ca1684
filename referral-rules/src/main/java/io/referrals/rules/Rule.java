package io.referrals.rules;

import io.referrals.core.model.Beneficiary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A reward rule: a {@link Trigger}, a {@link Condition}, what each side gets ({@link Grant}s) and {@link Limit}s,
 * with a holding period before approval and a clawback window. Immutable; build with {@link #builder(String)}.
 *
 * @param id the rule's id, unique in its rule set, lower-case
 * @param name a name safe to show the advocate
 * @param trigger when the rule considers paying
 * @param condition what must hold
 * @param grants what each side gets; at most one grant per beneficiary, at least one grant
 * @param limits the limits that apply, in order
 * @param holdFor how long a reward stays pending before it can be approved (a refund window); zero for none
 * @param clawbackWithin how long after a reward was earned it can still be clawed back; zero for never
 */
public record Rule(String id, String name, Trigger trigger, Condition condition, List<Grant> grants,
        List<Limit> limits, Duration holdFor, Duration clawbackWithin) {

    public Rule {
        Names.requireName(id, "rule id");
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            name = id;
        }
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(condition, "condition");
        grants = List.copyOf(grants);
        if (grants.isEmpty()) {
            throw new IllegalArgumentException("rule " + id + " gives nothing: add an advocate or referred grant");
        }
        Set<Beneficiary> sides = new HashSet<>();
        for (Grant g : grants) {
            if (!sides.add(g.beneficiary())) {
                throw new IllegalArgumentException("rule " + id + " has two grants for " + g.beneficiary());
            }
            if (g.beneficiary() == Beneficiary.REFERRED_PARTY && g.give() instanceof Give.Points) {
                throw new IllegalArgumentException("rule " + id + ": points go to advocates, not referred parties");
            }
        }
        limits = List.copyOf(limits);
        requireNotNegative(holdFor, "holdFor");
        requireNotNegative(clawbackWithin, "clawbackWithin");
    }

    /** A builder for a rule with this id: no condition, no limits, no holding period, no clawback. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** The grant for {@code beneficiary}, if the rule has one. */
    public java.util.Optional<Grant> grant(Beneficiary beneficiary) {
        return grants.stream().filter(g -> g.beneficiary() == beneficiary).findFirst();
    }

    private static void requireNotNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " cannot be negative");
        }
    }

    /** Builds a {@link Rule}. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private String name = "";
        private Trigger trigger;
        private Condition condition = Condition.always();
        private final List<Grant> grants = new ArrayList<>();
        private final List<Limit> limits = new ArrayList<>();
        private Duration holdFor = Duration.ZERO;
        private Duration clawbackWithin = Duration.ZERO;

        private Builder(String id) {
            this.id = Names.requireName(id, "rule id");
        }

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder when(Trigger trigger) {
            this.trigger = Objects.requireNonNull(trigger, "trigger");
            return this;
        }

        /** The condition; calling it again replaces the previous one. */
        public Builder only(Condition condition) {
            this.condition = Objects.requireNonNull(condition, "condition");
            return this;
        }

        public Builder advocate(Give give) {
            grants.add(new Grant(Beneficiary.ADVOCATE, give));
            return this;
        }

        public Builder referred(Give give) {
            grants.add(new Grant(Beneficiary.REFERRED_PARTY, give));
            return this;
        }

        public Builder limit(Limit limit) {
            limits.add(Objects.requireNonNull(limit, "limit"));
            return this;
        }

        public Builder holdFor(Duration holdFor) {
            this.holdFor = Objects.requireNonNull(holdFor, "holdFor");
            return this;
        }

        public Builder clawbackWithin(Duration clawbackWithin) {
            this.clawbackWithin = Objects.requireNonNull(clawbackWithin, "clawbackWithin");
            return this;
        }

        /** @throws IllegalArgumentException if the trigger is missing or a value is impossible */
        public Rule build() {
            if (trigger == null) {
                throw new IllegalArgumentException("rule " + id + " needs a trigger");
            }
            return new Rule(id, name, trigger, condition, grants, limits, holdFor, clawbackWithin);
        }
    }
}
