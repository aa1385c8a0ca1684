package io.referrals.rules.definition;

import io.referrals.core.error.FieldError;
import io.referrals.core.error.ValidationException;
import io.referrals.core.model.Schedule;
import io.referrals.core.model.Stage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A time-boxed contest of a program's advocates over a metric, with a leaderboard and prizes for the top
 * {@code topN}, paid exactly once when it ends ({@link io.referrals.rules.Rewards#endContest}). Ties rank the
 * advocate who reached the score first higher. The referral metrics count only referrals in good standing: a referral
 * rejected (by the eligibility checks at capture, such as a self-referral or a duplicate, or moved to a rejected stage
 * later), denied in review, or still waiting for review never counts; a flagged referral counts once it is approved,
 * so decide the reviews before ending a contest. Build one with {@link #builder(String)}:
 *
 * <pre>{@code
 * Contest.builder("power-hour").name("Power hour").between(start, start.plus(Duration.ofHours(1)))
 *         .metric(Contest.Metric.REFERRALS_SUBMITTED).topN(3).prize(Give.points(5000)).build()
 * }</pre>
 *
 * @param id the contest's id, unique in its rule set
 * @param name a name safe to show advocates; the id when blank
 * @param window when it runs; both ends are required
 * @param metric what is counted
 * @param stage the stage counted by {@link Metric#STAGE_REACHED}; ignored otherwise (may be {@code submitted})
 * @param topN how many advocates win a prize
 * @param prize what each winner gets (to the advocate), a fixed amount
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

    /**
     * @throws NullPointerException if {@code name} or {@code stage} is null
     * @throws ValidationException naming every problem: an id that is not a name, no window or an open one, no
     *     metric, fewer than one winner, no prize or one without a fixed amount
     */
    public Contest {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            name = id;
        }
        Objects.requireNonNull(stage, "stage");
        RuleSetChecks.throwIfAny(problems(id, window, metric, topN, prize));
    }

    /** A builder for a contest with this id, to complete with its window, metric, number of winners and prize. */
    public static Builder builder(String id) {
        return new Builder(Names.requireName(id, "contest id"));
    }

    private static List<FieldError> problems(String id, Schedule window, Metric metric, int topN, Give prize) {
        List<FieldError> problems = new ArrayList<>();
        RuleSetChecks.name(id, "id", "a contest id", problems);
        String contest = "contest '" + id + "'";
        if (window == null) {
            problems.add(new FieldError("window", "required", contest + " needs a window"));
        } else if (window.start().isEmpty() || window.end().isEmpty()) {
            problems.add(new FieldError("window", "invalid_value", contest + " needs a start and an end"));
        }
        if (metric == null) {
            problems.add(new FieldError("metric", "required", contest + " needs a metric"));
        }
        if (topN < 1) {
            problems.add(new FieldError("topN", "invalid_value", contest + ": topN must be at least 1"));
        }
        if (prize == null) {
            problems.add(new FieldError("prize", "required", contest + " needs a prize"));
        } else if (!RuleSetChecks.hasFixedAmount(prize)) {
            problems.add(new FieldError("prize", "invalid_value",
                    contest + ": the prize needs a fixed amount (points or money)"));
        }
        return problems;
    }

    /**
     * Builds a {@link Contest}. Each method refuses a bad argument at once; a missing window, metric or prize is
     * reported by {@link #build()}, all at once, or with every other problem of the rule set it is added to. Not
     * thread-safe.
     */
    public static final class Builder {
        private final String id;
        private String name = "";
        private Schedule window;
        private Metric metric;
        private Stage stage;
        private int topN;
        private Give prize;

        private Builder(String id) {
            this.id = id;
        }

        /** A name safe to show advocates; the id by default. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** When the contest runs; both ends are required. */
        public Builder window(Schedule window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        /**
         * Runs from {@code startsAt} (inclusive) to {@code endsAt} (exclusive).
         *
         * @throws IllegalArgumentException if it does not start before it ends
         */
        public Builder between(Instant startsAt, Instant endsAt) {
            return window(Schedule.between(startsAt, endsAt));
        }

        /** What is counted; for {@link Metric#STAGE_REACHED} use {@link #stageReached(Stage)}. */
        public Builder metric(Metric metric) {
            this.metric = Objects.requireNonNull(metric, "metric");
            return this;
        }

        /** Counts the referrals that entered {@code stage} inside the window. */
        public Builder stageReached(Stage stage) {
            this.stage = Objects.requireNonNull(stage, "stage");
            this.metric = Metric.STAGE_REACHED;
            return this;
        }

        /**
         * How many advocates win a prize.
         *
         * @throws IllegalArgumentException if {@code topN} is less than 1
         */
        public Builder topN(int topN) {
            if (topN < 1) {
                throw new IllegalArgumentException("topN must be at least 1: " + topN);
            }
            this.topN = topN;
            return this;
        }

        /** What each winner gets: points or money of a fixed amount, or an incentive without an amount. */
        public Builder prize(Give prize) {
            this.prize = Objects.requireNonNull(prize, "prize");
            return this;
        }

        /**
         * The contest.
         *
         * @throws ValidationException naming every problem
         */
        public Contest build() {
            RuleSetChecks.throwIfAny(problems());
            return new Contest(id, name, window, metric, stage == null ? Stage.SUBMITTED : stage, topN, prize);
        }

        /** Every problem {@link #build()} would report; empty if it would succeed. */
        List<FieldError> problems() {
            List<FieldError> problems = Contest.problems(id, window, metric, topN, prize);
            if (metric == Metric.STAGE_REACHED && stage == null) {
                problems.add(new FieldError("stage", "required", "a stage_reached contest names its stage"));
            }
            return problems;
        }
    }
}
