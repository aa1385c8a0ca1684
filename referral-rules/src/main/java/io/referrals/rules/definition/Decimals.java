package io.referrals.rules.definition;

import java.math.BigDecimal;

/** Numbers given as {@code double} in the Java API, turned into the decimals the rules keep. */
final class Decimals {
    private Decimals() {
    }

    /**
     * {@code value} as a decimal with the digits it prints with ({@code 12.5} is exactly 12.5, {@code 2.0} is 2).
     *
     * @throws IllegalArgumentException if {@code value} is not a finite number
     */
    static BigDecimal of(double value, String what) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(what + " must be a finite number: " + value);
        }
        BigDecimal d = BigDecimal.valueOf(value);
        if (d.scale() > 0) {
            d = d.stripTrailingZeros();
        }
        return d.scale() < 0 ? d.setScale(0) : d;
    }
}
