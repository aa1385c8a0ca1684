package io.referrals.core.insights;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Money;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The raw aggregates a store computes for an {@link InsightsQuery}, where the data is: with {@code GROUP BY} queries
 * in a SQL store, by streaming in the in-memory store. Everything is a count, a sum or a short top list; nothing holds
 * one row per referral. {@link ProgramReport} turns them into KPIs. The terms "cohort", "funnel" and "furthest stage"
 * are defined by {@link InsightsQuery} and {@link Funnel}.
 *
 * @param advocatesEnrolled advocates enrolled in the program before the period's end
 * @param advocatesEnrolledInPeriod advocates enrolled in the program during the period
 * @param referringAdvocates distinct advocates with at least one cohort referral
 * @param submitted cohort referrals
 * @param currentStages cohort referrals by the stage they are in now; only stages with a count above zero
 * @param furthestStages cohort referrals by their furthest funnel stage; only stages with a count above zero
 * @param transitions timeline entries of cohort referrals, counted by stage left and stage entered, ordered by
 *     {@code from} then {@code to} name
 * @param won cohort referrals whose outcome is won
 * @param timeToWon durations from submission to the timeline entry that entered the won stage, over won cohort
 *     referrals
 * @param revenue the deal values of won cohort referrals, summed per currency, ordered by currency code; currencies
 *     without a deal value are absent
 * @param wonWithoutDealValue won cohort referrals with no deal value recorded
 * @param rewards reward totals by status; statuses without rewards are absent
 * @param byChannel cohort counts per channel (the channel's name), ordered by key; channels without referrals absent
 * @param bySegment cohort counts per advocate segment, ordered by key; an advocate in two segments counts in both
 * @param topByWon up to {@link InsightsQuery#topAdvocates()} advocates with at least one won cohort referral, by won
 *     count descending, then revenue descending, then advocate id
 * @param topByRevenue up to {@link InsightsQuery#topAdvocates()} advocates with revenue above zero in the query's
 *     currency, by revenue descending, then won count descending, then advocate id
 */
public record ProgramStats(long advocatesEnrolled, long advocatesEnrolledInPeriod, long referringAdvocates,
        long submitted, Map<Stage, Long> currentStages, Map<Stage, Long> furthestStages,
        List<TransitionCount> transitions, long won, DurationSummary timeToWon, List<Money> revenue,
        long wonWithoutDealValue, Map<RewardStatus, RewardTotals> rewards, List<Breakdown> byChannel,
        List<Breakdown> bySegment, List<AdvocateTotals> topByWon, List<AdvocateTotals> topByRevenue) {

    /** How top lists are ordered by won count. */
    public static final Comparator<AdvocateTotals> BY_WON = Comparator.comparingLong(AdvocateTotals::won).reversed()
            .thenComparing((AdvocateTotals a) -> a.revenue().amount(), Comparator.reverseOrder())
            .thenComparing(a -> a.advocateId().value());

    /** How top lists are ordered by revenue. */
    public static final Comparator<AdvocateTotals> BY_REVENUE =
            Comparator.comparing((AdvocateTotals a) -> a.revenue().amount(), Comparator.reverseOrder())
                    .thenComparing(Comparator.comparingLong(AdvocateTotals::won).reversed())
                    .thenComparing(a -> a.advocateId().value());

    public ProgramStats {
        nonNegative(advocatesEnrolled, "advocatesEnrolled");
        nonNegative(advocatesEnrolledInPeriod, "advocatesEnrolledInPeriod");
        nonNegative(referringAdvocates, "referringAdvocates");
        nonNegative(submitted, "submitted");
        nonNegative(won, "won");
        nonNegative(wonWithoutDealValue, "wonWithoutDealValue");
        currentStages = Map.copyOf(currentStages);
        furthestStages = Map.copyOf(furthestStages);
        transitions = List.copyOf(transitions);
        Objects.requireNonNull(timeToWon, "timeToWon");
        revenue = List.copyOf(revenue);
        rewards = Map.copyOf(rewards);
        byChannel = List.copyOf(byChannel);
        bySegment = List.copyOf(bySegment);
        topByWon = List.copyOf(topByWon);
        topByRevenue = List.copyOf(topByRevenue);
    }

    /** The aggregates of a program without data (or of an unknown program). */
    public static ProgramStats empty() {
        return new ProgramStats(0, 0, 0, 0, Map.of(), Map.of(), List.of(), 0, DurationSummary.EMPTY, List.of(), 0,
                Map.of(), List.of(), List.of(), List.of(), List.of());
    }

    private static void nonNegative(long v, String name) {
        if (v < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + v);
        }
    }

    /**
     * How many timeline entries moved from one stage to another.
     *
     * @param from the stage left
     * @param to the stage entered
     * @param count how many entries, above zero
     */
    public record TransitionCount(Stage from, Stage to, long count) {
        public TransitionCount {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (count < 1) {
                throw new IllegalArgumentException("count must be positive");
            }
        }
    }

    /**
     * Rewards of one status, summed.
     *
     * @param count how many rewards
     * @param points the sum of their {@code Points} incentives
     * @param money the sum of their money incentives (cash, gift card, donation, fixed-amount discount) per currency,
     *     ordered by currency code
     * @param unvalued how many have no value in money or points (perks, percentage discounts, custom incentives)
     */
    public record RewardTotals(long count, long points, List<Money> money, long unvalued) {
        public RewardTotals {
            if (count < 0 || points < 0 || unvalued < 0) {
                throw new IllegalArgumentException("reward totals must not be negative");
            }
            money = List.copyOf(money);
        }
    }

    /**
     * Cohort counts for one channel or segment.
     *
     * @param key the channel's name or the segment
     * @param submitted cohort referrals
     * @param won of which won
     */
    public record Breakdown(String key, long submitted, long won) {
        public Breakdown {
            Objects.requireNonNull(key, "key");
            if (submitted < 0 || won < 0 || won > submitted) {
                throw new IllegalArgumentException("breakdown counts must satisfy 0 <= won <= submitted");
            }
        }
    }

    /**
     * One advocate's cohort totals.
     *
     * @param advocateId the advocate
     * @param submitted their cohort referrals
     * @param won of which won
     * @param revenue the deal values of their won cohort referrals in the query's currency (zero when none)
     */
    public record AdvocateTotals(AdvocateId advocateId, long submitted, long won, Money revenue) {
        public AdvocateTotals {
            Objects.requireNonNull(advocateId, "advocateId");
            Objects.requireNonNull(revenue, "revenue");
            if (submitted < 0 || won < 0 || won > submitted) {
                throw new IllegalArgumentException("advocate counts must satisfy 0 <= won <= submitted");
            }
        }
    }
}
