package io.referrals.core.insights;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * A ratio of two counts, kept as the counts so nothing is lost and nothing divides by zero.
 *
 * @param numerator the part, zero or more
 * @param denominator the whole, zero or more
 */
public record Rate(long numerator, long denominator) {
    public Rate {
        if (numerator < 0 || denominator < 0) {
            throw new IllegalArgumentException("a rate's counts must not be negative");
        }
    }

    public static Rate of(long numerator, long denominator) {
        return new Rate(numerator, denominator);
    }

    /** {@code numerator / denominator} to 4 decimals (half even); empty when the denominator is 0. */
    public Optional<BigDecimal> value() {
        if (denominator == 0) {
            return Optional.empty();
        }
        return Optional.of(BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), 4,
                RoundingMode.HALF_EVEN));
    }

    /** The rate as a percentage with one decimal, such as {@code 35.0%}, or {@code n/a} when undefined. */
    public String percent() {
        if (denominator == 0) {
            return "n/a";
        }
        return BigDecimal.valueOf(numerator).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(denominator), 1, RoundingMode.HALF_EVEN).toPlainString() + "%";
    }
}
