package io.referrals.core.insights;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * The median and 90th percentile of a set of durations. Percentiles are continuous, like SQL's
 * {@code percentile_cont}: for the {@code n} values sorted ascending, {@code p} falls at position
 * {@code p * (n - 1)}, and between two values the result is interpolated linearly, then rounded to the nearest
 * millisecond (halves up). With no values, {@code count} is 0 and both durations are zero.
 *
 * @param count how many durations were summarised
 * @param median the 50th percentile
 * @param p90 the 90th percentile
 */
public record DurationSummary(long count, Duration median, Duration p90) {
    /** The summary of no durations. */
    public static final DurationSummary EMPTY = new DurationSummary(0, Duration.ZERO, Duration.ZERO);

    public DurationSummary {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        Objects.requireNonNull(median, "median");
        Objects.requireNonNull(p90, "p90");
    }

    /** Summarises durations given in milliseconds, in any order. A store that fetches only durations uses this. */
    public static DurationSummary ofMillis(long[] millis) {
        if (millis.length == 0) {
            return EMPTY;
        }
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new DurationSummary(sorted.length, Duration.ofMillis(percentile(sorted, 0.5)),
                Duration.ofMillis(percentile(sorted, 0.9)));
    }

    /**
     * The continuous percentile {@code p} (0 to 1) of ascending {@code sorted} values, rounded half up.
     *
     * @throws IllegalArgumentException if {@code sorted} is empty or {@code p} is outside 0 to 1
     */
    public static long percentile(long[] sorted, double p) {
        if (sorted.length == 0 || !(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("percentile needs values and p in [0, 1]");
        }
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double value = sorted[lo] + (pos - lo) * ((double) sorted[hi] - (double) sorted[lo]);
        // clamp: floating point must not carry the result outside the two values it lies between
        return Math.max(sorted[lo], Math.min(sorted[hi], Math.round(value)));
    }

    /** True when no duration was summarised. */
    public boolean isEmpty() {
        return count == 0;
    }
}
