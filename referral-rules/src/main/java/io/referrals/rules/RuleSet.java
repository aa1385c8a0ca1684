package io.referrals.rules;

import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One version of a program's reward rules, with its contests, tiers, redemption catalogue and points expiry.
 * Immutable and thread-safe; build with {@link #builder(ProgramId, int)} or read from a file with {@link RuleFiles}.
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

    public RuleSet {
        Objects.requireNonNull(programId, "programId");
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        rules = List.copyOf(rules);
        contests = List.copyOf(contests);
        Objects.requireNonNull(tiers, "tiers");
        catalogue = List.copyOf(catalogue);
        Objects.requireNonNull(pointsExpireAfter, "pointsExpireAfter");
        if (pointsExpireAfter.isNegative()) {
            throw new IllegalArgumentException("pointsExpireAfter cannot be negative");
        }
        List<RuleSetChecks.Problem> problems = RuleSetChecks.check(rules, contests, tiers, catalogue);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0).path() + ": " + problems.get(0).message());
        }
    }

    /** A builder: effective from {@link Instant#EPOCH}, no rules, no tiers, points that never expire. */
    public static Builder builder(ProgramId programId, int version) {
        return new Builder(programId, version);
    }

    /** The rule with this id. */
    public java.util.Optional<Rule> rule(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** The contest with this id. */
    public java.util.Optional<Contest> contest(String id) {
        return contests.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** The catalogue item with this id. */
    public java.util.Optional<CatalogueItem> item(String id) {
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

    static boolean isPoints(Grant g) {
        return g.give() instanceof Give.Points && g.beneficiary() == Beneficiary.ADVOCATE;
    }

    /** Builds a {@link RuleSet}. Not thread-safe. */
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

        private Builder(ProgramId programId, int version) {
            this.programId = Objects.requireNonNull(programId, "programId");
            if (version < 1) {
                throw new IllegalArgumentException("version starts at 1");
            }
            this.version = version;
        }

        public Builder effectiveFrom(Instant effectiveFrom) {
            this.effectiveFrom = Objects.requireNonNull(effectiveFrom, "effectiveFrom");
            return this;
        }

        /** Makes this version apply to referrals submitted under earlier versions too, from its effective time. */
        public Builder migratesInFlight() {
            this.migratesInFlight = true;
            return this;
        }

        public Builder rule(Rule rule) {
            rules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        public Builder contest(Contest contest) {
            contests.add(Objects.requireNonNull(contest, "contest"));
            return this;
        }

        public Builder tiers(Tiers tiers) {
            this.tiers = Objects.requireNonNull(tiers, "tiers");
            return this;
        }

        public Builder item(CatalogueItem item) {
            catalogue.add(Objects.requireNonNull(item, "item"));
            return this;
        }

        public Builder pointsExpireAfter(Duration pointsExpireAfter) {
            this.pointsExpireAfter = Objects.requireNonNull(pointsExpireAfter, "pointsExpireAfter");
            return this;
        }

        /** @throws IllegalArgumentException on duplicate ids, unknown references, or amounts of the wrong kind */
        public RuleSet build() {
            return new RuleSet(programId, version, effectiveFrom, migratesInFlight, rules, contests, tiers,
                    catalogue, pointsExpireAfter);
        }
    }
}
