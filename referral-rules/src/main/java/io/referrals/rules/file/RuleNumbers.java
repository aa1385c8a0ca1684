package io.referrals.rules.file;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * The ranges of the numbers in a rule file, checked on the exact value before anything is computed from it, so that
 * no number (however large, small or long) escapes as an exception or becomes infinity or zero. Whole numbers
 * (versions, counts, points, costs) are integers from the field's minimum to its maximum ({@link Long#MAX_VALUE}, or
 * {@link Integer#MAX_VALUE} for versions, {@code n} and {@code topN}); decimals (amounts, percentages, factors,
 * thresholds) have at most {@value #MAX_INTEGER_DIGITS} digits before the decimal point and at most
 * {@value #MAX_FRACTION_DIGITS} after it. A value outside its range is refused with the code {@code out_of_range}.
 * Stateless.
 */
final class RuleNumbers {
    /** Decimals have at most this many digits before the point: they are less than 10 to this power in size. */
    static final int MAX_INTEGER_DIGITS = 18;
    /** Decimals have at most this many digits after the point (trailing zeros aside). */
    static final int MAX_FRACTION_DIGITS = 12;
    private static final BigDecimal DECIMAL_LIMIT = BigDecimal.TEN.pow(MAX_INTEGER_DIGITS);

    private RuleNumbers() {
    }

    /**
     * A number read from a rule file, or why it was refused.
     *
     * @param value the value, or {@code null} when refused
     * @param code the problem code when refused
     * @param message the problem in words when refused
     */
    record Read<T>(T value, String code, String message) {
        static <T> Read<T> of(T value) {
            return new Read<>(value, "", "");
        }

        static <T> Read<T> refused(String code, String message) {
            return new Read<>(null, code, message);
        }

        boolean ok() {
            return value != null;
        }
    }

    /**
     * A whole number from {@code min} to {@code max}. A number above {@code max} is {@code out_of_range} (also when it
     * is not whole, such as {@code 1e400}); a number that is not whole is {@code wrong_type} with {@code expected};
     * one below {@code min} is {@code invalid_value}.
     */
    static Read<Long> whole(JsonNode v, long min, long max, String expected) {
        if (v == null || !v.isNumber()) {
            return Read.refused("wrong_type", expected);
        }
        Read<BigDecimal> exact = exact(v);
        if (!exact.ok()) {
            return Read.refused(exact.code(), exact.message());
        }
        BigDecimal d = exact.value();
        if (d.compareTo(BigDecimal.valueOf(max)) > 0) {
            return Read.refused("out_of_range", "must be at most " + max);
        }
        if (!v.isIntegralNumber()) {
            return Read.refused("wrong_type", expected);
        }
        if (d.compareTo(BigDecimal.valueOf(min)) < 0) {
            return Read.refused("invalid_value", "must be at least " + min);
        }
        return Read.of(d.longValueExact());
    }

    /** A decimal within the decimal range; {@code wrong_type} for a value that is not a number. */
    static Read<BigDecimal> decimal(JsonNode v) {
        if (v == null || !v.isNumber()) {
            return Read.refused("wrong_type", "expected a number");
        }
        Read<BigDecimal> exact = exact(v);
        return exact.ok() ? inRange(exact.value()) : exact;
    }

    /** A decimal written as text ({@code "12.50"}) within the decimal range; {@code invalid_value} if not decimal. */
    static Read<BigDecimal> decimal(String text) {
        BigDecimal d;
        try {
            d = new BigDecimal(text);
        } catch (NumberFormatException e) {
            return Read.refused("invalid_value", "not a decimal number");
        }
        return inRange(d);
    }

    /** The exact value of a number node; a binary floating-point value must be finite. */
    private static Read<BigDecimal> exact(JsonNode v) {
        if ((v.isDouble() || v.isFloat()) && !Double.isFinite(v.doubleValue())) {
            return Read.refused("out_of_range", "not a finite number");
        }
        return Read.of(v.decimalValue());
    }

    private static Read<BigDecimal> inRange(BigDecimal d) {
        if (d.abs().compareTo(DECIMAL_LIMIT) >= 0) {
            return Read.refused("out_of_range", "must have at most " + MAX_INTEGER_DIGITS
                    + " digits before the decimal point");
        }
        if (d.stripTrailingZeros().scale() > MAX_FRACTION_DIGITS) {
            return Read.refused("out_of_range", "must have at most " + MAX_FRACTION_DIGITS
                    + " digits after the decimal point");
        }
        return Read.of(d);
    }
}
