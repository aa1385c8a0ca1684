package io.referrals.core.storage;

import io.referrals.core.insights.InsightsQuery;
import io.referrals.core.insights.ProgramStats;

/**
 * Aggregates a program's data into {@link ProgramStats}: the store capability behind program insights.
 *
 * <p>Every store gets correct statistics from {@link #scanning}, which reads the record areas page by page and keeps
 * only counters, sums and one accumulator per advocate. A store that can aggregate where the data is (the JDBC store's
 * {@code GROUP BY} queries) offers its own version through {@link StoreTransaction#statistics()}; the contract kit's
 * {@code ProgramStatisticsContract} checks that it gives the same results as {@link #scanning} on the same data.
 *
 * <p>Obligations of {@link #programStats}: aggregates the program's data for {@code query}, as {@link ProgramStats}
 * and {@link InsightsQuery} define (cohort, filters, orderings, top lists) and as {@link io.referrals.core.insights.Funnel}
 * defines funnel stages (from the stored program's pipeline). Time to won is measured from {@code submittedAt} to the
 * {@code at} of the timeline entry that entered the won stage, and summarised as
 * {@link io.referrals.core.insights.DurationSummary} does (a store may fetch the durations alone and call
 * {@link io.referrals.core.insights.DurationSummary#ofMillis}). Rewards are summed as
 * {@link ProgramStats.RewardTotals} says: {@code Points} into points; {@code Cash}, {@code GiftCard},
 * {@code Donation} and a fixed-amount {@code Discount} into money per currency; the rest counted as unvalued. For an
 * unknown program, returns {@link ProgramStats#empty()}. Computed without loading every referral of the program into
 * memory at once.
 */
@FunctionalInterface
public interface ProgramStatistics {

    /** The program's statistics for {@code query}, as the interface documentation defines them. */
    ProgramStats programStats(InsightsQuery query);

    /**
     * Statistics computed from the record areas of {@code tx} alone, page by page: correct on every store that passes
     * the record contracts, and the reference a store's own {@link StoreTransaction#statistics()} is checked against.
     * The returned object is used within {@code tx} only.
     */
    static ProgramStatistics scanning(StoreTransaction tx) {
        return new ScanningProgramStatistics(tx);
    }
}
