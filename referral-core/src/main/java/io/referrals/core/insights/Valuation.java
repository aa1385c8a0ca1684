package io.referrals.core.insights;

import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;
import java.util.Optional;

/**
 * How incentives are valued in money: in one reporting currency, with a configurable value per point.
 *
 * <p>Cash, gift cards, donations and fixed-amount discounts are worth their amount (in their own currency). Points
 * are worth {@code points * pointValue}. Percentage discounts, perks and custom incentives have no value here
 * ({@link #value} is empty); reports count them as "unvalued".
 *
 * @param pointValue the value of one point; its currency is the reporting currency; zero or more
 */
public record Valuation(Money pointValue) {
    public Valuation {
        Objects.requireNonNull(pointValue, "pointValue");
        if (pointValue.isNegative()) {
            throw new IllegalArgumentException("a point's value must not be negative");
        }
    }

    /** Points are worth {@code pointValue} each. */
    public static Valuation of(Money pointValue) {
        return new Valuation(pointValue);
    }

    /** Points are worth nothing: only money incentives count. */
    public static Valuation pointsUnvalued(Currency currency) {
        return new Valuation(Money.zero(currency));
    }

    /** The reporting currency. */
    public Currency currency() {
        return pointValue.currency();
    }

    /** The value of {@code points} points in the reporting currency. */
    public Money points(long points) {
        return pointValue.times(BigDecimal.valueOf(points));
    }

    /** What an incentive is worth, in its own currency for money incentives; empty when it has no money value. */
    public Optional<Money> value(Incentive incentive) {
        Objects.requireNonNull(incentive, "incentive");
        if (incentive instanceof Incentive.Points p) {
            return Optional.of(points(p.points()));
        } else if (incentive instanceof Incentive.Cash c) {
            return Optional.of(c.amount());
        } else if (incentive instanceof Incentive.GiftCard g) {
            return Optional.of(g.amount());
        } else if (incentive instanceof Incentive.Donation d) {
            return Optional.of(d.amount());
        } else if (incentive instanceof Incentive.Discount d && d.amountOff() != null) {
            return Optional.of(d.amountOff());
        }
        return Optional.empty();
    }
}
