package io.referrals.core.outbox;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How long a failed event waits before its next attempt, and when to stop trying and park it. Implementations must be
 * thread-safe and deterministic enough for tests (no hidden clock).
 */
@FunctionalInterface
public interface BackoffPolicy {

    /**
     * The delay before the next attempt after {@code failures} failed attempts (1 after the first failure), or empty
     * to park the event.
     */
    Optional<Duration> delayAfter(int failures);

    /**
     * Exponential backoff: {@code initial}, then doubling up to {@code max}, parking once {@code maxAttempts}
     * attempts have failed.
     *
     * @throws IllegalArgumentException if a duration is not positive, {@code max} is below {@code initial}, or
     *     {@code maxAttempts} is below 1
     */
    static BackoffPolicy exponential(Duration initial, Duration max, int maxAttempts) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial delay must be positive");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max delay must not be below the initial delay");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        return failures -> {
            if (failures >= maxAttempts) {
                return Optional.empty();
            }
            Duration d = initial;
            for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
                d = d.multipliedBy(2);
            }
            return Optional.of(d.compareTo(max) > 0 ? max : d);
        };
    }

    /** One second doubling up to one hour; parked after 10 failed attempts. */
    static BackoffPolicy defaults() {
        return exponential(Duration.ofSeconds(1), Duration.ofHours(1), 10);
    }
}
