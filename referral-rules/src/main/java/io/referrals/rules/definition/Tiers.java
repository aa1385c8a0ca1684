package io.referrals.rules.definition;

import io.referrals.core.error.FieldError;
import io.referrals.core.error.ValidationException;
import io.referrals.core.model.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Advocate tiers (bronze, silver, gold...) by how many of their referrals entered {@code stage} in the current
 * calendar year (UTC). Each referral counts once. Usable in {@link Condition.TierAtLeast} and {@link Amount.ByTier}.
 *
 * <pre>{@code
 * Tiers.of(Stage.QUALIFIED, Tiers.level("silver", 3), Tiers.level("gold", 10))
 * }</pre>
 *
 * @param stage the stage counted, for example {@code qualified}
 * @param levels the tiers, lowest first, with strictly increasing thresholds
 */
public record Tiers(Stage stage, List<Level> levels) {
    /** No tiers. */
    public static final Tiers NONE = new Tiers(Stage.SUBMITTED, List.of());

    /**
     * One tier.
     *
     * @param name the tier's name
     * @param atLeast the number of counted referrals that reaches it, at least 1
     */
    public record Level(String name, long atLeast) {
        /** @throws IllegalArgumentException if {@code name} is not a name or {@code atLeast} is less than 1 */
        public Level {
            Names.requireName(name, "tier");
            if (atLeast < 1) {
                throw new IllegalArgumentException("tier " + name + ": atLeast must be at least 1");
            }
        }
    }

    /**
     * @throws NullPointerException if {@code stage} or a level is null
     * @throws ValidationException naming every level declared twice or not above the one before
     */
    public Tiers {
        Objects.requireNonNull(stage, "stage");
        levels = List.copyOf(levels);
        List<FieldError> problems = new ArrayList<>();
        for (int i = 1; i < levels.size(); i++) {
            if (levels.get(i).atLeast() <= levels.get(i - 1).atLeast()) {
                problems.add(new FieldError("levels[" + i + "].atLeast", "invalid_value",
                        "tier thresholds must increase: " + levels.get(i).name()));
            }
            for (int j = 0; j < i; j++) {
                if (levels.get(j).name().equals(levels.get(i).name())) {
                    problems.add(new FieldError("levels[" + i + "].name", "duplicate_id",
                            "tier declared twice: " + levels.get(i).name()));
                    break;
                }
            }
        }
        RuleSetChecks.throwIfAny(problems);
    }

    /**
     * Tiers counted on {@code stage}, lowest first.
     *
     * @throws ValidationException naming every level declared twice or not above the one before
     */
    public static Tiers of(Stage stage, Level... levels) {
        return new Tiers(stage, List.of(levels));
    }

    /**
     * A tier reached with {@code atLeast} counted referrals.
     *
     * @throws IllegalArgumentException if {@code name} is not a name or {@code atLeast} is less than 1
     */
    public static Level level(String name, long atLeast) {
        return new Level(name, atLeast);
    }

    /** The position of {@code tier} (0 = lowest), or -1. */
    public int rank(String tier) {
        for (int i = 0; i < levels.size(); i++) {
            if (levels.get(i).name().equals(tier)) {
                return i;
            }
        }
        return -1;
    }

    /** The tier reached with {@code count} counted referrals, if any. */
    public Optional<String> tierFor(long count) {
        String tier = null;
        for (Level l : levels) {
            if (count >= l.atLeast()) {
                tier = l.name();
            }
        }
        return Optional.ofNullable(tier);
    }
}
