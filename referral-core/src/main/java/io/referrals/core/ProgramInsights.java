package io.referrals.core;

import io.referrals.core.error.NotFoundException;
import io.referrals.core.extension.Extension;
import io.referrals.core.extension.TransactionRunner;
import io.referrals.core.insights.BacktestReport;
import io.referrals.core.insights.CandidateRules;
import io.referrals.core.insights.InsightsQuery;
import io.referrals.core.insights.ProgramReport;
import io.referrals.core.insights.ProgramStats;
import io.referrals.core.insights.ProjectedReward;
import io.referrals.core.insights.ReferralHistory;
import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.insights.Valuation;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.storage.ProgramStatistics;
import io.referrals.core.storage.ReferralQuery;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Program insights, an {@link Extension} of the engine: the KPI {@link ProgramReport report} of a program, computed by the
 * store's own aggregation ({@link io.referrals.core.storage.StoreTransaction#statistics()}, else
 * {@link io.referrals.core.storage.ProgramStatistics#scanning}), and
 * {@link #backtest backtests} of candidate rule sets. Read-only: nothing here writes to the store. Immutable and
 * thread-safe.
 */
public final class ProgramInsights {
    private static final int PAGE = 500;

    private static final Extension<ProgramInsights> EXTENSION = installation -> new ProgramInsights(
            installation.transactions(), installation.clock());

    private final TransactionRunner store;
    private final Clock clock;

    private ProgramInsights(TransactionRunner store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * The insights extension (the same instance every call): install it with
     * {@link ReferralEngine.Builder#install}, then get the service with {@code engine.extension(ProgramInsights.extension())}.
     */
    public static Extension<ProgramInsights> extension() {
        return EXTENSION;
    }

    /**
     * The program's KPIs for {@code query}, in one read transaction.
     *
     * @throws NotFoundException if the program does not exist
     * @throws IllegalArgumentException if the valuation's currency is not the query's
     */
    public ProgramReport report(InsightsQuery query, Valuation valuation) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(valuation, "valuation");
        if (!valuation.currency().equals(query.currency())) {
            throw new IllegalArgumentException("the valuation's currency must be the query's currency");
        }
        return store.inStore(tx -> {
            Program program = tx.programs().get(query.programId())
                    .orElseThrow(() -> new NotFoundException("program", query.programId().value()));
            ProgramStats stats = tx.statistics().orElseGet(() -> ProgramStatistics.scanning(tx)).programStats(query);
            Map<AdvocateId, String> names = new HashMap<>();
            for (List<ProgramStats.AdvocateTotals> top : List.of(stats.topByWon(), stats.topByRevenue())) {
                for (ProgramStats.AdvocateTotals t : top) {
                    tx.advocates().get(t.advocateId()).ifPresent(a -> names.put(a.id(), a.displayName()));
                }
            }
            return ProgramReport.of(program, query, stats, valuation, names, clock.instant());
        });
    }

    /**
     * One report per period, in the order given: the KPIs of {@code query} over each period, for trends (month by
     * month, quarter by quarter). Each report is computed in its own transaction.
     *
     * @throws NotFoundException if the program does not exist
     */
    public List<ProgramReport> trend(InsightsQuery query, List<ReportPeriod> periods, Valuation valuation) {
        Objects.requireNonNull(query, "query");
        List<ProgramReport> out = new ArrayList<>();
        for (ReportPeriod p : List.copyOf(periods)) {
            out.add(report(query.withPeriod(p), valuation));
        }
        return List.copyOf(out);
    }

    /**
     * Runs {@code candidate} over the program's referrals submitted in {@code period} and compares what it would have
     * paid with the referrals' actual rewards. Writes nothing: not the ledger, not rewards, not counters. Referrals
     * are read page by page in id order, each page in its own transaction (so the run is not one snapshot), and only
     * per-advocate totals are kept.
     *
     * @throws NotFoundException if the program does not exist
     */
    public BacktestReport backtest(ProgramId programId, ReportPeriod period, CandidateRules candidate,
            Valuation valuation) {
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(valuation, "valuation");
        Program program = store.inStore(tx -> tx.programs().get(programId))
                .orElseThrow(() -> new NotFoundException("program", programId.value()));
        CandidateRules.Evaluation evaluation = candidate.begin(program);
        Map<String, BacktestReport.Totals[]> byAdvocate = new TreeMap<>();
        BacktestReport.Totals actual = BacktestReport.Totals.none(valuation);
        BacktestReport.Totals projected = BacktestReport.Totals.none(valuation);
        long evaluated = 0;
        Referral cursor = null;
        while (true) {
            ReferralQuery.Builder q = ReferralQuery.builder().program(programId).limit(PAGE);
            if (cursor != null) {
                q.after(cursor.id());
            }
            ReferralQuery query = q.build();
            List<Page> page = store.inStore(tx -> {
                List<Page> out = new ArrayList<>();
                for (Referral r : tx.referrals().find(query)) {
                    Advocate a = tx.advocates().get(r.advocateId()).orElse(null);
                    if (a == null || !period.contains(r.submittedAt())) {
                        out.add(new Page(r, null, List.of()));
                    } else {
                        out.add(new Page(r, new ReferralHistory(r, a, tx.timelines().of(r.id())),
                                tx.rewards().ofReferral(r.id())));
                    }
                }
                return out;
            });
            if (page.isEmpty()) {
                break;
            }
            for (Page p : page) {
                if (p.history() == null) {
                    continue;
                }
                evaluated++;
                for (Reward w : p.paid()) {
                    if (w.status() == RewardStatus.PENDING || w.status() == RewardStatus.APPROVED
                            || w.status() == RewardStatus.FAILED || w.status() == RewardStatus.FULFILLED) {
                        actual = actual.plus(w.incentive(), valuation);
                        BacktestReport.Totals[] t = totals(byAdvocate, w.advocateId(), valuation);
                        t[0] = t[0].plus(w.incentive(), valuation);
                    }
                }
                for (ProjectedReward w : evaluation.evaluate(p.history())) {
                    projected = projected.plus(w.incentive(), valuation);
                    BacktestReport.Totals[] t = totals(byAdvocate, w.advocateId(), valuation);
                    t[1] = t[1].plus(w.incentive(), valuation);
                }
            }
            cursor = page.get(page.size() - 1).referral();
        }
        List<BacktestReport.AdvocateComparison> advocates = new ArrayList<>();
        byAdvocate.forEach((id, t) -> advocates.add(new BacktestReport.AdvocateComparison(AdvocateId.of(id), t[0],
                t[1])));
        return new BacktestReport(programId, candidate.name(), period, evaluated, actual, projected, advocates);
    }

    private static BacktestReport.Totals[] totals(Map<String, BacktestReport.Totals[]> byAdvocate, AdvocateId id,
            Valuation valuation) {
        return byAdvocate.computeIfAbsent(id.value(), k -> new BacktestReport.Totals[] {
            BacktestReport.Totals.none(valuation), BacktestReport.Totals.none(valuation)});
    }

    /** One referral of a page: its history when it is in the backtest, and its actual rewards. */
    private record Page(Referral referral, ReferralHistory history, List<Reward> paid) {
    }
}
