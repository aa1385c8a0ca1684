package io.referrals.core.insights;

import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Projects a referral program's results for a period from a handful of assumptions. Pure and thread-safe.
 *
 * <p>Formulas, with every count kept exact (no rounding until money):
 * <pre>
 * advocates       = customers * participationRate
 * referrals       = advocates * referralsPerAdvocate
 * wins            = referrals * conversionRate
 * revenue         = wins * averageDealSize
 * perReferralCost = sum of the values of the PER_REFERRAL incentives
 * perWinCost      = sum of the values of the PER_WIN incentives
 * incentiveCost   = referrals * perReferralCost + wins * perWinCost + fixedCost
 * net             = revenue - incentiveCost
 * ROI             = net / incentiveCost                      (undefined when incentiveCost is 0)
 * break-even conversion rate = (referrals * perReferralCost + fixedCost) / (referrals * (averageDealSize - perWinCost))
 *                                                            (undefined unless referrals &gt; 0 and deal &gt; perWinCost)
 * </pre>
 * An incentive's value is the {@link Valuation}'s ({@code points * pointValue}, or the amount of cash, a gift card,
 * a donation or a fixed discount); a percentage discount is worth that percentage of the average deal size. Perks
 * and custom incentives have no value and are listed in {@link Projection#unvalued()}. Money results are rounded to
 * the currency's fraction digits (half even); ROI is computed from the rounded amounts to 4 decimals (half even), the
 * break-even rate to 6 decimals.
 */
public final class RoiCalculator {
    private RoiCalculator() {
    }

    /**
     * When an incentive is paid in a projection.
     */
    public enum Trigger {
        /** For every referral submitted. */
        PER_REFERRAL,
        /** For every referral won (either side of a dual-sided incentive: add one for each). */
        PER_WIN
    }

    /**
     * An incentive of the program and when it is paid.
     *
     * @param trigger when
     * @param incentive what
     */
    public record PlannedIncentive(Trigger trigger, Incentive incentive) {
        public PlannedIncentive {
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(incentive, "incentive");
        }
    }

    /**
     * The assumptions of a projection.
     *
     * @param customers the customers (or partners) who could refer, zero or more
     * @param participationRate the share of them who refer in the period, 0 to 1
     * @param referralsPerAdvocate referrals per referring advocate in the period, zero or more
     * @param conversionRate the share of referrals won, 0 to 1
     * @param averageDealSize the average value of a won deal, zero or more, in the valuation's currency
     * @param incentives the program's incentives
     * @param fixedCost the program's fixed cost in the period (platform, contest prizes), zero or more
     * @param valuation how incentives are valued; its currency is the projection's
     */
    public record Inputs(long customers, BigDecimal participationRate, BigDecimal referralsPerAdvocate,
            BigDecimal conversionRate, Money averageDealSize, List<PlannedIncentive> incentives, Money fixedCost,
            Valuation valuation) {

        /** @throws IllegalArgumentException for a value out of range or money in another currency */
        public Inputs {
            if (customers < 0) {
                throw new IllegalArgumentException("customers must not be negative");
            }
            share(participationRate, "participationRate");
            Objects.requireNonNull(referralsPerAdvocate, "referralsPerAdvocate");
            if (referralsPerAdvocate.signum() < 0) {
                throw new IllegalArgumentException("referralsPerAdvocate must not be negative");
            }
            share(conversionRate, "conversionRate");
            Objects.requireNonNull(valuation, "valuation");
            money(averageDealSize, "averageDealSize", valuation);
            money(fixedCost, "fixedCost", valuation);
            incentives = List.copyOf(incentives);
        }

        /** Inputs without incentives and with no fixed cost; add them with the {@code with...} methods. */
        public static Inputs of(long customers, String participationRate, String referralsPerAdvocate,
                String conversionRate, Money averageDealSize, Valuation valuation) {
            return new Inputs(customers, new BigDecimal(participationRate), new BigDecimal(referralsPerAdvocate),
                    new BigDecimal(conversionRate), averageDealSize, List.of(), Money.zero(valuation.currency()),
                    valuation);
        }

        /** A copy with one more incentive. */
        public Inputs withIncentive(Trigger trigger, Incentive incentive) {
            List<PlannedIncentive> more = new ArrayList<>(incentives);
            more.add(new PlannedIncentive(trigger, incentive));
            return new Inputs(customers, participationRate, referralsPerAdvocate, conversionRate, averageDealSize,
                    more, fixedCost, valuation);
        }

        /** A copy with another fixed cost. */
        public Inputs withFixedCost(Money cost) {
            return new Inputs(customers, participationRate, referralsPerAdvocate, conversionRate, averageDealSize,
                    incentives, cost, valuation);
        }

        private static void share(BigDecimal v, String name) {
            Objects.requireNonNull(v, name);
            if (v.signum() < 0 || v.compareTo(BigDecimal.ONE) > 0) {
                throw new IllegalArgumentException(name + " must be 0 to 1");
            }
        }

        private static void money(Money m, String name, Valuation valuation) {
            Objects.requireNonNull(m, name);
            if (m.isNegative() || !m.currency().equals(valuation.currency())) {
                throw new IllegalArgumentException(name + " must be zero or more, in the valuation's currency");
            }
        }
    }

    /**
     * A projection.
     *
     * @param advocates projected referring advocates
     * @param referrals projected referrals
     * @param wins projected wins
     * @param averageDealSize the assumed deal size
     * @param revenue projected revenue
     * @param perReferralCost incentive value per referral
     * @param perWinCost incentive value per win
     * @param referralIncentiveCost {@code referrals * perReferralCost}
     * @param winIncentiveCost {@code wins * perWinCost}
     * @param fixedCost the fixed cost
     * @param incentiveCost the total cost
     * @param roi revenue against total cost
     * @param unvalued incentives counted as worth nothing
     */
    public record Projection(BigDecimal advocates, BigDecimal referrals, BigDecimal wins, Money averageDealSize,
            Money revenue,
            Money perReferralCost, Money perWinCost, Money referralIncentiveCost, Money winIncentiveCost,
            Money fixedCost, Money incentiveCost, Roi roi, List<PlannedIncentive> unvalued) {
        public Projection {
            Objects.requireNonNull(roi, "roi");
            unvalued = List.copyOf(unvalued);
        }

        /** {@code revenue - incentiveCost}. */
        public Money net() {
            return roi.net();
        }

        /** The conversion rate at which ROI is zero, to 6 decimals; empty when no rate breaks even. */
        public Optional<BigDecimal> breakEvenConversionRate() {
            BigDecimal margin = averageDealSize.amount().subtract(perWinCost.amount());
            if (referrals.signum() <= 0 || margin.signum() <= 0) {
                return Optional.empty();
            }
            BigDecimal fixedPart = referrals.multiply(perReferralCost.amount()).add(fixedCost.amount());
            return Optional.of(fixedPart.divide(referrals.multiply(margin), 6, RoundingMode.HALF_EVEN));
        }

        /** Incentive cost per win, to the currency's digits; empty without wins. */
        public Optional<Money> costPerWin() {
            if (wins.signum() == 0) {
                return Optional.empty();
            }
            int digits = digits(incentiveCost);
            return Optional.of(new Money(incentiveCost.amount().divide(wins, digits, RoundingMode.HALF_EVEN),
                    incentiveCost.currency()));
        }
    }

    /** Projects {@code inputs}. */
    public static Projection project(Inputs in) {
        Objects.requireNonNull(in, "inputs");
        BigDecimal advocates = BigDecimal.valueOf(in.customers()).multiply(in.participationRate());
        BigDecimal referrals = advocates.multiply(in.referralsPerAdvocate());
        BigDecimal wins = referrals.multiply(in.conversionRate());
        BigDecimal deal = in.averageDealSize().amount();
        BigDecimal perReferral = BigDecimal.ZERO;
        BigDecimal perWin = BigDecimal.ZERO;
        List<PlannedIncentive> unvalued = new ArrayList<>();
        for (PlannedIncentive p : in.incentives()) {
            Optional<BigDecimal> v = value(p.incentive(), in.valuation(), deal);
            if (v.isEmpty()) {
                unvalued.add(p);
            } else if (p.trigger() == Trigger.PER_REFERRAL) {
                perReferral = perReferral.add(v.get());
            } else {
                perWin = perWin.add(v.get());
            }
        }
        Money zero = Money.zero(in.valuation().currency());
        Money revenue = rounded(zero, wins.multiply(deal));
        Money referralCost = rounded(zero, referrals.multiply(perReferral));
        Money winCost = rounded(zero, wins.multiply(perWin));
        Money total = referralCost.plus(winCost).plus(in.fixedCost());
        return new Projection(advocates, referrals, wins, in.averageDealSize(), revenue, rounded(zero, perReferral), rounded(zero, perWin),
                referralCost, winCost, in.fixedCost(), total, new Roi(revenue, total), unvalued);
    }

    private static Optional<BigDecimal> value(Incentive incentive, Valuation valuation, BigDecimal deal) {
        if (incentive instanceof Incentive.Discount d && d.percentOff() != null) {
            return Optional.of(deal.multiply(d.percentOff()).movePointLeft(2));
        }
        Optional<Money> v = valuation.value(incentive);
        if (v.isPresent() && !v.get().currency().equals(valuation.currency())) {
            throw new IllegalArgumentException("incentive in " + v.get().currency() + ", projection in "
                    + valuation.currency());
        }
        return v.map(Money::amount);
    }

    private static Money rounded(Money zero, BigDecimal amount) {
        return new Money(amount.setScale(digits(zero), RoundingMode.HALF_EVEN), zero.currency());
    }

    private static int digits(Money m) {
        return Math.max(0, m.currency().getDefaultFractionDigits());
    }
}
