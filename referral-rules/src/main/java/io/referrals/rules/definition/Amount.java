package io.referrals.rules.definition;

import io.referrals.core.model.Money;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How much a {@link Give} gives: a fixed number of points, a fixed sum of money, a percentage of the deal value, a
 * multiple of what another rule gives for the same event, or an amount by advocate tier.
 */
public sealed interface Amount {

    /** A fixed number of points, at least 1. */
    record Points(long points) implements Amount {
        public Points {
            if (points < 1) {
                throw new IllegalArgumentException("points must be at least 1: " + points);
            }
        }
    }

    /** A fixed sum of money, more than zero. */
    record Fixed(Money money) implements Amount {
        public Fixed {
            Objects.requireNonNull(money, "money");
            if (money.amount().signum() <= 0) {
                throw new IllegalArgumentException("a fixed amount must be more than zero");
            }
        }
    }

    /**
     * {@code percent} % of the referral's deal value, in the deal's currency, rounded half-even to the currency's
     * minor unit (a partner commission). Without a deal value nothing is paid.
     */
    record PercentOfDeal(BigDecimal percent) implements Amount {
        public PercentOfDeal {
            Objects.requireNonNull(percent, "percent");
            if (percent.signum() <= 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
                throw new IllegalArgumentException("percent must be in (0, 100]: " + percent);
            }
        }
    }

    /**
     * {@code factor} times what rule {@code ruleId} of the same rule set gives for the same event, whatever that
     * rule's trigger and conditions ("twice the points when your referral becomes a customer").
     */
    record MultiplierOf(String ruleId, BigDecimal factor) implements Amount {
        public MultiplierOf {
            Names.requireName(ruleId, "ruleId");
            Objects.requireNonNull(factor, "factor");
            if (factor.signum() <= 0) {
                throw new IllegalArgumentException("a multiplier must be more than zero: " + factor);
            }
        }
    }

    /** An amount per advocate tier; {@code otherwise} for advocates with no tier listed. */
    record ByTier(Map<String, Amount> tiers, Amount otherwise) implements Amount {
        public ByTier {
            tiers = Map.copyOf(new LinkedHashMap<>(tiers));
            tiers.keySet().forEach(t -> Names.requireName(t, "tier"));
            tiers.values().forEach(a -> {
                if (a instanceof ByTier) {
                    throw new IllegalArgumentException("tier amounts do not nest");
                }
            });
            Objects.requireNonNull(otherwise, "otherwise");
        }
    }

    /**
     * A fixed number of points.
     *
     * @throws IllegalArgumentException if {@code points} is less than 1
     */
    static Amount points(long points) {
        return new Points(points);
    }

    /**
     * A fixed sum of money.
     *
     * @throws IllegalArgumentException if {@code money} is not more than zero
     */
    static Amount money(Money money) {
        return new Fixed(money);
    }

    /**
     * A fixed sum of whole units of a currency, for example {@code Amount.money(50, "USD")}.
     *
     * @throws IllegalArgumentException if {@code amount} is not more than zero or the currency code is unknown
     */
    static Amount money(long amount, String currencyCode) {
        return new Fixed(Money.of(BigDecimal.valueOf(amount), currencyCode));
    }

    /**
     * A fixed sum of money, for example {@code Amount.money(new BigDecimal("49.99"), "USD")}.
     *
     * @throws IllegalArgumentException if {@code amount} is not more than zero or the currency code is unknown
     */
    static Amount money(BigDecimal amount, String currencyCode) {
        return new Fixed(Money.of(amount, currencyCode));
    }

    /**
     * {@code percent} % of the deal value, for example {@code Amount.percentOfDeal(12.5)}.
     *
     * @throws IllegalArgumentException if {@code percent} is not in (0, 100]
     */
    static Amount percentOfDeal(double percent) {
        return new PercentOfDeal(Decimals.of(percent, "percent"));
    }

    /**
     * {@code percent} % of the deal value.
     *
     * @throws IllegalArgumentException if {@code percent} is not in (0, 100]
     */
    static Amount percentOfDeal(BigDecimal percent) {
        return new PercentOfDeal(percent);
    }

    /**
     * {@code factor} times what rule {@code ruleId} gives the same side, for example
     * {@code Amount.multiplierOf("milestone-points", 2)}.
     *
     * @throws IllegalArgumentException if {@code ruleId} is not a name or {@code factor} is not more than zero
     */
    static Amount multiplierOf(String ruleId, double factor) {
        return new MultiplierOf(ruleId, Decimals.of(factor, "factor"));
    }

    /**
     * {@code factor} times what rule {@code ruleId} gives the same side.
     *
     * @throws IllegalArgumentException if {@code ruleId} is not a name or {@code factor} is not more than zero
     */
    static Amount multiplierOf(String ruleId, BigDecimal factor) {
        return new MultiplierOf(ruleId, factor);
    }

    /**
     * An amount per advocate tier, for example {@code Amount.byTier(Map.of("gold", Amount.points(500)),
     * Amount.points(200))}.
     *
     * @throws IllegalArgumentException if a tier is not a name or a tier amount is itself by tier
     */
    static Amount byTier(Map<String, Amount> tiers, Amount otherwise) {
        return new ByTier(tiers, otherwise);
    }
}
