package io.referrals.core.insights;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Money;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A program's KPIs for one {@link InsightsQuery}, computed from the store's {@link ProgramStats} by {@link #of}.
 * Immutable; exported by {@link InsightsExport}.
 *
 * <p>Definitions:
 * <ul>
 *   <li>participation, the gold-standard KPI: {@code referringAdvocates / advocatesEnrolled}.</li>
 *   <li>funnel: for each {@link Funnel} stage, the cohort referrals that reached it; conversion from the previous
 *       step and from submission.</li>
 *   <li>referral-to-won conversion: {@code won / submitted}.</li>
 *   <li>revenue: the deal values of won cohort referrals in the reporting currency; other currencies are listed apart
 *       and never converted.</li>
 *   <li>incentive cost: rewards valued by the {@link Valuation}; {@link IncentiveCost#committed()} (pending, approved
 *       and fulfilled) is the cost used for ROI, reversed rewards were clawed back and cost nothing. What has no money
 *       value (points the valuation does not value, rewards in kind, other currencies) is outside every amount and
 *       counted apart in {@link WithoutValue}.</li>
 *   <li>ROI: {@code (revenue - committed cost) / committed cost}, see {@link Roi}.</li>
 * </ul>
 *
 * @param programId the program
 * @param programName its display name
 * @param query the query answered
 * @param generatedAt when the report was computed
 * @param advocatesEnrolled advocates enrolled before the period's end
 * @param advocatesEnrolledInPeriod advocates enrolled during the period
 * @param referringAdvocates advocates who referred at least once in the period
 * @param participation {@code referringAdvocates / advocatesEnrolled}
 * @param submitted referrals submitted in the period (the cohort)
 * @param funnel the funnel steps in order
 * @param currentStages where the cohort stands now, every pipeline stage in pipeline order
 * @param transitions stage-to-stage movements of the cohort
 * @param won cohort referrals won
 * @param referralToWon {@code won / submitted}
 * @param timeToWon submission to won, median and 90th percentile
 * @param revenue revenue in the reporting currency
 * @param revenueInOtherCurrencies revenue in other currencies, per currency
 * @param wonWithoutDealValue won referrals whose deal value is unknown (their revenue is missing)
 * @param incentiveCost incentive cost by status
 * @param roi revenue against committed incentive cost
 * @param byChannel cohort counts per channel
 * @param bySegment cohort counts per advocate segment
 * @param topByWon advocates with the most won referrals
 * @param topByRevenue advocates who brought the most revenue
 */
public record ProgramReport(ProgramId programId, String programName, InsightsQuery query, Instant generatedAt,
        long advocatesEnrolled, long advocatesEnrolledInPeriod, long referringAdvocates, Rate participation,
        long submitted, List<FunnelStep> funnel, List<StageCount> currentStages,
        List<ProgramStats.TransitionCount> transitions, long won, Rate referralToWon, DurationSummary timeToWon,
        Money revenue, List<Money> revenueInOtherCurrencies, long wonWithoutDealValue, IncentiveCost incentiveCost,
        Roi roi, List<ProgramStats.Breakdown> byChannel, List<ProgramStats.Breakdown> bySegment,
        List<TopAdvocate> topByWon, List<TopAdvocate> topByRevenue) {

    public ProgramReport {
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(programName, "programName");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(generatedAt, "generatedAt");
        Objects.requireNonNull(participation, "participation");
        funnel = List.copyOf(funnel);
        currentStages = List.copyOf(currentStages);
        transitions = List.copyOf(transitions);
        Objects.requireNonNull(referralToWon, "referralToWon");
        Objects.requireNonNull(timeToWon, "timeToWon");
        Objects.requireNonNull(revenue, "revenue");
        revenueInOtherCurrencies = List.copyOf(revenueInOtherCurrencies);
        Objects.requireNonNull(incentiveCost, "incentiveCost");
        Objects.requireNonNull(roi, "roi");
        byChannel = List.copyOf(byChannel);
        bySegment = List.copyOf(bySegment);
        topByWon = List.copyOf(topByWon);
        topByRevenue = List.copyOf(topByRevenue);
    }

    /**
     * Computes the report.
     *
     * @param program the program the query is about
     * @param query the query the stats answer
     * @param stats the store's aggregates
     * @param valuation how incentives are valued; its currency must be the query's
     * @param advocateNames display names of the advocates in the top lists; a missing name shows the id
     * @param generatedAt when the report is computed
     * @throws IllegalArgumentException if the program or currency does not match the query
     */
    public static ProgramReport of(Program program, InsightsQuery query, ProgramStats stats, Valuation valuation,
            Map<AdvocateId, String> advocateNames, Instant generatedAt) {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(valuation, "valuation");
        Objects.requireNonNull(advocateNames, "advocateNames");
        if (!program.id().equals(query.programId())) {
            throw new IllegalArgumentException("the query is about another program");
        }
        Currency currency = query.currency();
        if (!valuation.currency().equals(currency)) {
            throw new IllegalArgumentException("the valuation's currency must be the query's currency");
        }

        List<Stage> funnelStages = Funnel.stages(program.pipeline());
        List<FunnelStep> funnel = new ArrayList<>();
        long previous = stats.submitted();
        for (int i = 0; i < funnelStages.size(); i++) {
            long reached = 0;
            for (int j = i; j < funnelStages.size(); j++) {
                reached += stats.furthestStages().getOrDefault(funnelStages.get(j), 0L);
            }
            funnel.add(new FunnelStep(funnelStages.get(i), reached, Rate.of(reached, previous),
                    Rate.of(reached, stats.submitted())));
            previous = reached;
        }

        List<StageCount> current = new ArrayList<>();
        for (Stage s : program.pipeline().stages()) {
            current.add(new StageCount(s, stats.currentStages().getOrDefault(s, 0L)));
        }
        stats.currentStages().entrySet().stream()
                .filter(e -> !program.pipeline().contains(e.getKey()))
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(Stage::name)))
                .forEach(e -> current.add(new StageCount(e.getKey(), e.getValue())));

        Money revenue = Money.zero(currency);
        List<Money> otherRevenue = new ArrayList<>();
        for (Money m : stats.revenue()) {
            if (m.currency().equals(currency)) {
                revenue = revenue.plus(m);
            } else {
                otherRevenue.add(m);
            }
        }

        IncentiveCost cost = IncentiveCost.of(stats.rewards(), valuation);
        return new ProgramReport(program.id(), program.name(), query, generatedAt, stats.advocatesEnrolled(),
                stats.advocatesEnrolledInPeriod(), stats.referringAdvocates(),
                Rate.of(stats.referringAdvocates(), stats.advocatesEnrolled()), stats.submitted(), funnel, current,
                stats.transitions(), stats.won(), Rate.of(stats.won(), stats.submitted()), stats.timeToWon(),
                revenue, otherRevenue, stats.wonWithoutDealValue(), cost, new Roi(revenue, cost.committed()),
                stats.byChannel(), stats.bySegment(), top(stats.topByWon(), advocateNames),
                top(stats.topByRevenue(), advocateNames));
    }

    private static List<TopAdvocate> top(List<ProgramStats.AdvocateTotals> totals, Map<AdvocateId, String> names) {
        List<TopAdvocate> out = new ArrayList<>();
        for (ProgramStats.AdvocateTotals t : totals) {
            out.add(new TopAdvocate(t.advocateId(), names.getOrDefault(t.advocateId(), t.advocateId().value()),
                    t.submitted(), t.won(), t.revenue()));
        }
        return out;
    }

    /**
     * One step of the funnel.
     *
     * @param stage the funnel stage
     * @param reached cohort referrals that reached it
     * @param fromPrevious {@code reached} over the previous step's (over submitted for the first step)
     * @param fromSubmitted {@code reached} over submitted
     */
    public record FunnelStep(Stage stage, long reached, Rate fromPrevious, Rate fromSubmitted) {
        public FunnelStep {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(fromPrevious, "fromPrevious");
            Objects.requireNonNull(fromSubmitted, "fromSubmitted");
        }
    }

    /**
     * How many cohort referrals are in a stage now.
     *
     * @param stage the stage
     * @param count how many
     */
    public record StageCount(Stage stage, long count) {
        public StageCount {
            Objects.requireNonNull(stage, "stage");
        }
    }

    /**
     * An advocate in a top list.
     *
     * @param advocateId the advocate
     * @param displayName their display name
     * @param submitted their cohort referrals
     * @param won of which won
     * @param revenue revenue of their won referrals in the reporting currency
     */
    public record TopAdvocate(AdvocateId advocateId, String displayName, long submitted, long won, Money revenue) {
        public TopAdvocate {
            Objects.requireNonNull(advocateId, "advocateId");
            Objects.requireNonNull(displayName, "displayName");
            Objects.requireNonNull(revenue, "revenue");
        }
    }

    /**
     * Incentive cost by reward status, valued in the reporting currency.
     *
     * @param pending earned, waiting for approval or the end of a holding period
     * @param approved approved, not yet fulfilled (including {@link RewardStatus#FAILED} rewards, which the host
     *     still owes)
     * @param issued fulfilled (paid out, credited or sent)
     * @param reversed clawed back; not part of the cost
     * @param committedPoints points of pending, approved (or failed) and fulfilled rewards (valued inside the amounts
     *     above)
     * @param otherCurrencies pending, approved (or failed) and fulfilled money in other currencies, per currency, not
     *     converted
     * @param unvalued pending, approved (or failed) and fulfilled rewards without a money or points value
     * @param committedWithoutValue what {@link #committed()} leaves out for want of a money value
     * @param liabilityWithoutValue what {@link #outstandingLiability()} leaves out for want of a money value
     */
    public record IncentiveCost(Money pending, Money approved, Money issued, Money reversed, long committedPoints,
            List<Money> otherCurrencies, long unvalued, WithoutValue committedWithoutValue,
            WithoutValue liabilityWithoutValue) {
        public IncentiveCost {
            Objects.requireNonNull(pending, "pending");
            Objects.requireNonNull(approved, "approved");
            Objects.requireNonNull(issued, "issued");
            Objects.requireNonNull(reversed, "reversed");
            otherCurrencies = List.copyOf(otherCurrencies);
            Objects.requireNonNull(committedWithoutValue, "committedWithoutValue");
            Objects.requireNonNull(liabilityWithoutValue, "liabilityWithoutValue");
        }

        /** Values reward totals; money in other currencies than the valuation's is listed apart. */
        public static IncentiveCost of(Map<RewardStatus, ProgramStats.RewardTotals> totals, Valuation valuation) {
            Currency currency = valuation.currency();
            Map<String, Money> other = new TreeMap<>();
            long points = 0;
            long unvalued = 0;
            for (RewardStatus s : List.of(RewardStatus.PENDING, RewardStatus.APPROVED, RewardStatus.FAILED,
                    RewardStatus.FULFILLED)) {
                ProgramStats.RewardTotals t = totals.get(s);
                if (t == null) {
                    continue;
                }
                points += t.points();
                unvalued += t.unvalued();
                for (Money m : t.money()) {
                    if (!m.currency().equals(currency)) {
                        other.merge(m.currency().getCurrencyCode(), m, Money::plus);
                    }
                }
            }
            return new IncentiveCost(valued(totals.get(RewardStatus.PENDING), valuation),
                    valued(totals.get(RewardStatus.APPROVED), valuation)
                            .plus(valued(totals.get(RewardStatus.FAILED), valuation)),
                    valued(totals.get(RewardStatus.FULFILLED), valuation),
                    valued(totals.get(RewardStatus.REVERSED), valuation), points, List.copyOf(other.values()),
                    unvalued, WithoutValue.of(totals, valuation, RewardStatus.PENDING, RewardStatus.APPROVED,
                            RewardStatus.FULFILLED),
                    WithoutValue.of(totals, valuation, RewardStatus.PENDING, RewardStatus.APPROVED));
        }

        private static Money valued(ProgramStats.RewardTotals t, Valuation valuation) {
            Money sum = Money.zero(valuation.currency());
            if (t == null) {
                return sum;
            }
            sum = sum.plus(valuation.points(t.points()));
            for (Money m : t.money()) {
                if (m.currency().equals(valuation.currency())) {
                    sum = sum.plus(m);
                }
            }
            return sum;
        }

        /** The cost used for ROI: pending + approved + issued. */
        public Money committed() {
            return pending.plus(approved).plus(issued);
        }

        /** Earned but not yet paid: pending + approved. */
        public Money outstandingLiability() {
            return pending.plus(approved);
        }
    }

    /**
     * The rewards a money figure of an {@link IncentiveCost} leaves out because they have no money value in the
     * report's {@link Valuation}, so that a report can say so rather than look complete.
     *
     * @param points points left out: all the points of the rewards counted when the valuation gives a point no value
     *     ({@link Valuation#pointsUnvalued}), otherwise none (they are valued inside the figure)
     * @param inKind rewards with no money value at all: perks, percentage discounts, custom incentives
     * @param otherCurrencies money in currencies other than the report's, per currency, never converted
     */
    public record WithoutValue(long points, long inKind, List<Money> otherCurrencies) {
        /** Nothing left out. */
        public static final WithoutValue NONE = new WithoutValue(0, 0, List.of());

        public WithoutValue {
            if (points < 0 || inKind < 0) {
                throw new IllegalArgumentException("counts must not be negative");
            }
            otherCurrencies = List.copyOf(otherCurrencies);
        }

        /** What the rewards of {@code statuses} in {@code totals} leave out of their value under {@code valuation}. */
        public static WithoutValue of(Map<RewardStatus, ProgramStats.RewardTotals> totals, Valuation valuation,
                RewardStatus... statuses) {
            boolean pointsHaveValue = valuation.pointValue().amount().signum() > 0;
            long points = 0;
            long inKind = 0;
            Map<String, Money> other = new TreeMap<>();
            for (RewardStatus s : statuses) {
                ProgramStats.RewardTotals t = totals.get(s);
                if (t == null) {
                    continue;
                }
                points += pointsHaveValue ? 0 : t.points();
                inKind += t.unvalued();
                for (Money m : t.money()) {
                    if (!m.currency().equals(valuation.currency())) {
                        other.merge(m.currency().getCurrencyCode(), m, Money::plus);
                    }
                }
            }
            return new WithoutValue(points, inKind, List.copyOf(other.values()));
        }

        /** True when the figure leaves nothing out. */
        public boolean isEmpty() {
            return points == 0 && inKind == 0 && otherCurrencies.isEmpty();
        }
    }
}
