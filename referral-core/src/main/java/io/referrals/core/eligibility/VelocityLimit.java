package io.referrals.core.eligibility;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code max} referrals per fixed window of {@code window} (windows are aligned to the epoch, so an hour limit
 * counts per clock hour). Counted in the store, so limits hold across engine instances.
 *
 * @param max the most referrals allowed per window, at least 1
 * @param window the window length, at least one second, whole seconds
 */
public record VelocityLimit(int max, Duration window) {
    public VelocityLimit {
        Objects.requireNonNull(window, "window");
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        if (window.getSeconds() < 1 || window.getNano() != 0) {
            throw new IllegalArgumentException("window must be a positive number of whole seconds");
        }
    }

    public static VelocityLimit perHour(int max) {
        return new VelocityLimit(max, Duration.ofHours(1));
    }

    public static VelocityLimit perDay(int max) {
        return new VelocityLimit(max, Duration.ofDays(1));
    }
}
