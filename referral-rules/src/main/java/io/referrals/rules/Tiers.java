package io.referrals.rules;

import io.referrals.core.model.Stage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Advocate tiers (bronze, silver, gold...) by how many of their referrals entered {@code stage} in the current
 * calendar year (UTC). Each referral counts once. Usable in {@link Condition.TierAtLeast} and {@link Amount.ByTier}.
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
        public Level {
            Names.requireName(name, "tier");
            if (atLeast < 1) {
                throw new IllegalArgumentException("tier " + name + ": atLeast must be at least 1");
            }
        }
    }

    public Tiers {
        Objects.requireNonNull(stage, "stage");
        levels = List.copyOf(levels);
        for (int i = 1; i < levels.size(); i++) {
            if (levels.get(i).atLeast() <= levels.get(i - 1).atLeast()) {
                throw new IllegalArgumentException("tier thresholds must increase: " + levels.get(i).name());
            }
            for (int j = 0; j < i; j++) {
                if (levels.get(j).name().equals(levels.get(i).name())) {
                    throw new IllegalArgumentException("tier declared twice: " + levels.get(i).name());
                }
            }
        }
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
