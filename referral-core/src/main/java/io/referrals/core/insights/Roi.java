package io.referrals.core.insights;

import io.referrals.core.model.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;

/**
 * Return on investment: {@code ROI = (revenue - cost) / cost}. A ROI of {@code 4.0} means every unit spent on
 * incentives brought back four more than it cost.
 *
 * @param revenue the revenue attributed to the program
 * @param cost the incentive cost, zero or more, in the same currency
 */
public record Roi(Money revenue, Money cost) {
    public Roi {
        Objects.requireNonNull(revenue, "revenue");
        Objects.requireNonNull(cost, "cost");
        if (!revenue.currency().equals(cost.currency())) {
            throw new IllegalArgumentException("revenue and cost must be in one currency");
        }
        if (cost.isNegative()) {
            throw new IllegalArgumentException("cost must not be negative");
        }
    }

    /** {@code revenue - cost}. */
    public Money net() {
        return revenue.minus(cost);
    }

    /** {@code (revenue - cost) / cost} to 4 decimals (half even); empty when the cost is zero. */
    public Optional<BigDecimal> value() {
        if (cost.amount().signum() == 0) {
            return Optional.empty();
        }
        return Optional.of(net().amount().divide(cost.amount(), 4, RoundingMode.HALF_EVEN));
    }

    /** The ROI as a percentage with one decimal, such as {@code 400.0%}, or {@code n/a} without cost. */
    public String percent() {
        return value().map(v -> v.movePointRight(2).setScale(1, RoundingMode.HALF_EVEN).toPlainString() + "%")
                .orElse("n/a");
    }
}
