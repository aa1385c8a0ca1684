package io.referrals.rules;

import io.referrals.core.model.Schedule;
import io.referrals.core.model.Stage;
import java.util.Objects;

/**
 * A time-boxed contest of a program's advocates over a metric, with a leaderboard and prizes for the top
 * {@code topN}, paid exactly once when it ends ({@link Rewards#endContest}). Ties rank the advocate who reached the
 * score first higher.
 *
 * @param id the contest's id, unique in its rule set
 * @param name a name safe to show advocates
 * @param window when it runs; both ends are required
 * @param metric what is counted
 * @param stage the stage counted by {@link Metric#STAGE_REACHED}; ignored otherwise (may be {@code submitted})
 * @param topN how many advocates win a prize
 * @param prize what each winner gets (to the advocate)
 */
public record Contest(String id, String name, Schedule window, Metric metric, Stage stage, int topN, Give prize) {

    /** What a contest counts. */
    public enum Metric {
        /** Referrals submitted inside the window. */
        REFERRALS_SUBMITTED,
        /** Referrals that entered {@link Contest#stage()} inside the window. */
        STAGE_REACHED,
        /** Referrals won inside the window. */
        REFERRALS_WON,
        /** Points earned (credited) inside the window. */
        POINTS_EARNED
    }

    public Contest {
        Names.requireName(id, "contest id");
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            name = id;
        }
        Objects.requireNonNull(window, "window");
        if (window.start().isEmpty() || window.end().isEmpty()) {
            throw new IllegalArgumentException("contest " + id + " needs a start and an end");
        }
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(stage, "stage");
        if (topN < 1) {
            throw new IllegalArgumentException("contest " + id + ": topN must be at least 1");
        }
        Objects.requireNonNull(prize, "prize");
        if (CompiledRule.fixedIncentive(prize) == null) {
            throw new IllegalArgumentException(id + ": the prize needs a fixed amount (points or money)");
        }
    }
}
