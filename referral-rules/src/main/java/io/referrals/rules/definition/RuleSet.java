package io.referrals.rules.definition;

import io.referrals.core.error.FieldError;
import io.referrals.core.error.ValidationException;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of a program's reward rules, with its contests, tiers, redemption catalogue and points expiry.
 * Immutable and thread-safe; build with {@link #builder(ProgramId, int)} or read from a file with
 * {@link io.referrals.rules.file.RuleFiles}.
 *
 * <p>Versions pin promises: a referral is judged by the version in force when it was submitted (the latest version
 * whose {@code effectiveFrom} is at or before the referral's submission), unless a later version
 * {@code migratesInFlight}, in which case that version applies to every referral from its {@code effectiveFrom} on.
 *
 * @param programId the program the rules belong to
 * @param version the version, from 1; recorded on every reward as its rule version
 * @param effectiveFrom from when the version applies
 * @param migratesInFlight true if referrals submitted under earlier versions move to this one
 * @param rules the rules, evaluated in order
 * @param contests the program's contests
 * @param tiers the program's advocate tiers, or {@link Tiers#NONE}
 * @param catalogue what points can be exchanged for
 * @param pointsExpireAfter how long earned points last; zero for ever
 */
public record RuleSet(ProgramId programId, int version, Instant effectiveFrom, boolean migratesInFlight,
        List<Rule> rules, List<Contest> contests, Tiers tiers, List<CatalogueItem> catalogue,
        Duration pointsExpireAfter) {

    /**
     * @throws NullPointerException if a component is null
     * @throws ValidationException naming every problem: a version below 1, a negative expiry, and the checks across
     *     the set (ids used twice, multipliers of unknown rules or in a cycle, amounts of the wrong kind, undeclared
     *     tiers)
     */
    public RuleSet {
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        rules = List.copyOf(rules);
        contests = List.copyOf(contests);
        Objects.requireNonNull(tiers, "tiers");
        catalogue = List.copyOf(catalogue);
        Objects.requireNonNull(pointsExpireAfter, "pointsExpireAfter");
        List<FieldError> problems = ownProblems(version, pointsExpireAfter);
        problems.addAll(RuleSetChecks.check(rules, contests, tiers, catalogue));
        RuleSetChecks.throwIfAny(problems);
    }

    /**
     * A builder: effective from {@link Instant#EPOCH}, no rules, no tiers, points that never expire.
     *
     * @throws IllegalArgumentException if {@code version} is less than 1
     */
    public static Builder builder(ProgramId programId, int version) {
        return new Builder(programId, version);
    }

    /** The rule with this id. */
    public Optional<Rule> rule(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** The contest with this id. */
    public Optional<Contest> contest(String id) {
        return contests.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** The catalogue item with this id. */
    public Optional<CatalogueItem> item(String id) {
        return catalogue.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /**
     * The stages this rule set names that {@code program}'s pipeline lacks, as {@code path: stage} texts; empty
     * when it fits.
     */
    public List<String> unknownStages(Program program) {
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Trigger t = rules.get(i).trigger();
            List<Stage> stages = t instanceof Trigger.StageReached s ? List.copyOf(s.stages())
                    : t instanceof Trigger.NthReferral n ? List.of(n.stage()) : List.of();
            for (Stage s : stages) {
                if (!program.pipeline().contains(s)) {
                    unknown.add("rules[" + i + "].when: " + s.name());
                }
            }
        }
        for (int i = 0; i < contests.size(); i++) {
            Contest c = contests.get(i);
            if (c.metric() == Contest.Metric.STAGE_REACHED && !program.pipeline().contains(c.stage())) {
                unknown.add("contests[" + i + "].stage: " + c.stage().name());
            }
        }
        if (!tiers.levels().isEmpty() && !program.pipeline().contains(tiers.stage())) {
            unknown.add("tiers.stage: " + tiers.stage().name());
        }
        return unknown;
    }

    private static List<FieldError> ownProblems(int version, Duration pointsExpireAfter) {
        List<FieldError> problems = new ArrayList<>();
        if (version < 1) {
            problems.add(new FieldError("version", "invalid_value", "version starts at 1"));
        }
        RuleSetChecks.notNegative(pointsExpireAfter, "pointsExpireAfter", problems);
        return problems;
    }

    /**
     * Builds a {@link RuleSet}. Each method refuses a bad argument at once. Rules, contests and items may be added
     * as builders ({@code .rule(Rule.builder("won").when(...).advocate(...))}): {@link #build()} then reports every
     * problem of every part at once, each at its path such as {@code rules[2].when}, and, when the parts are sound,
     * every problem across the set. Not thread-safe.
     */
    public static final class Builder {
        private final ProgramId programId;
        private final int version;
        private Instant effectiveFrom = Instant.EPOCH;
        private boolean migratesInFlight;
        private final List<Rule> rules = new ArrayList<>();
        private final List<Contest> contests = new ArrayList<>();
        private Tiers tiers = Tiers.NONE;
        private final List<CatalogueItem> catalogue = new ArrayList<>();
        private Duration pointsExpireAfter = Duration.ZERO;
        /** Problems of the parts added as builders, at their paths in the rule set. */
        private final List<FieldError> partProblems = new ArrayList<>();

        private Builder(ProgramId programId, int version) {
            this.programId = Objects.requireNonNull(programId, "programId");
            if (version < 1) {
                throw new IllegalArgumentException("version starts at 1: " + version);
            }
            this.version = version;
        }

        /** From when the version applies; {@link Instant#EPOCH} by default. */
        public Builder effectiveFrom(Instant effectiveFrom) {
            this.effectiveFrom = Objects.requireNonNull(effectiveFrom, "effectiveFrom");
            return this;
        }

        /** Makes this version apply to referrals submitted under earlier versions too, from its effective time. */
        public Builder migratesInFlight() {
            this.migratesInFlight = true;
            return this;
        }

        /** Adds a rule; rules are evaluated in the order added. */
        public Builder rule(Rule rule) {
            rules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /** Adds the rule {@code rule} builds as it stands now; its problems are reported by {@link #build()}. */
        public Builder rule(Rule.Builder rule) {
            Objects.requireNonNull(rule, "rule");
            List<FieldError> problems = rule.problems();
            rules.add(problems.isEmpty() ? rule.build() : null);
            partProblems.addAll(RuleSetChecks.under("rules[" + (rules.size() - 1) + "]", problems));
            return this;
        }

        /** Adds a contest. */
        public Builder contest(Contest contest) {
            contests.add(Objects.requireNonNull(contest, "contest"));
            return this;
        }

        /** Adds the contest {@code contest} builds as it stands now; its problems are reported by {@link #build()}. */
        public Builder contest(Contest.Builder contest) {
            Objects.requireNonNull(contest, "contest");
            List<FieldError> problems = contest.problems();
            contests.add(problems.isEmpty() ? contest.build() : null);
            partProblems.addAll(RuleSetChecks.under("contests[" + (contests.size() - 1) + "]", problems));
            return this;
        }

        /** The program's advocate tiers; {@link Tiers#NONE} by default. */
        public Builder tiers(Tiers tiers) {
            this.tiers = Objects.requireNonNull(tiers, "tiers");
            return this;
        }

        /** Adds a catalogue item. */
        public Builder item(CatalogueItem item) {
            catalogue.add(Objects.requireNonNull(item, "item"));
            return this;
        }

        /** Adds the item {@code item} builds as it stands now; its problems are reported by {@link #build()}. */
        public Builder item(CatalogueItem.Builder item) {
            Objects.requireNonNull(item, "item");
            List<FieldError> problems = item.problems();
            catalogue.add(problems.isEmpty() ? item.build() : null);
            partProblems.addAll(RuleSetChecks.under("catalogue[" + (catalogue.size() - 1) + "]", problems));
            return this;
        }

        /**
         * How long earned points last; zero (the default) for ever.
         *
         * @throws IllegalArgumentException if {@code pointsExpireAfter} is negative
         */
        public Builder pointsExpireAfter(Duration pointsExpireAfter) {
            Objects.requireNonNull(pointsExpireAfter, "pointsExpireAfter");
            if (pointsExpireAfter.isNegative()) {
                throw new IllegalArgumentException("pointsExpireAfter cannot be negative");
            }
            this.pointsExpireAfter = pointsExpireAfter;
            return this;
        }

        /**
         * The rule set.
         *
         * @throws ValidationException naming every problem of the parts added as builders, or else every problem
         *     across the set (duplicate ids, unknown references, amounts of the wrong kind, undeclared tiers)
         */
        public RuleSet build() {
            RuleSetChecks.throwIfAny(partProblems);
            return new RuleSet(programId, version, effectiveFrom, migratesInFlight, rules, contests, tiers,
                    catalogue, pointsExpireAfter);
        }
    }
}
