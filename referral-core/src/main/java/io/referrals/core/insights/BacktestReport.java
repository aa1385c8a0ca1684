package io.referrals.core.insights;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import io.referrals.core.model.ProgramId;
import java.util.List;
import java.util.Objects;

/**
 * What a candidate rule set would have paid over a program's referrals submitted in a period, beside what was paid.
 * "Paid" means the referrals' rewards that are pending, approved or fulfilled (rejected, reversed and expired rewards
 * cost nothing). Values are in the valuation's currency; money in another currency, percentage discounts, perks and
 * custom incentives are counted as unvalued.
 *
 * @param programId the program
 * @param candidate the candidate's {@link CandidateRules#name()}
 * @param period the period the referrals were submitted in
 * @param referralsEvaluated how many referrals were evaluated
 * @param actual what was paid
 * @param projected what the candidate would have paid
 * @param advocates per advocate, ordered by advocate id; only advocates paid by either side
 */
public record BacktestReport(ProgramId programId, String candidate, ReportPeriod period, long referralsEvaluated,
        Totals actual, Totals projected, List<AdvocateComparison> advocates) {

    public BacktestReport {
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(projected, "projected");
        advocates = List.copyOf(advocates);
    }

    /** {@code projected.value - actual.value}: positive when the candidate would cost more. */
    public Money difference() {
        return projected.value().minus(actual.value());
    }

    /**
     * Rewards summed.
     *
     * @param rewards how many rewards
     * @param points their points
     * @param value their value in the valuation's currency, points included
     * @param unvalued how many have no value in that currency
     */
    public record Totals(long rewards, long points, Money value, long unvalued) {
        public Totals {
            Objects.requireNonNull(value, "value");
            if (rewards < 0 || points < 0 || unvalued < 0) {
                throw new IllegalArgumentException("totals must not be negative");
            }
        }

        /** No rewards. */
        public static Totals none(Valuation valuation) {
            return new Totals(0, 0, Money.zero(valuation.currency()), 0);
        }

        /** These totals and one more reward, valued by {@code valuation}. */
        public Totals plus(Incentive incentive, Valuation valuation) {
            long p = incentive instanceof Incentive.Points pts ? pts.points() : 0;
            Money v = valuation.value(incentive).filter(m -> m.currency().equals(valuation.currency())).orElse(null);
            return new Totals(rewards + 1, points + p, v == null ? value : value.plus(v),
                    v == null ? unvalued + 1 : unvalued);
        }
    }

    /**
     * One advocate's rewards on both sides.
     *
     * @param advocateId the advocate
     * @param actual what they were paid
     * @param projected what the candidate would have paid them
     */
    public record AdvocateComparison(AdvocateId advocateId, Totals actual, Totals projected) {
        public AdvocateComparison {
            Objects.requireNonNull(advocateId, "advocateId");
            Objects.requireNonNull(actual, "actual");
            Objects.requireNonNull(projected, "projected");
        }

        /** {@code projected.value - actual.value}. */
        public Money difference() {
            return projected.value().minus(actual.value());
        }
    }
}
