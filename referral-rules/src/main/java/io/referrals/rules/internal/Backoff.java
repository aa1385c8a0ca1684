package io.referrals.rules.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When the scheduled run looks again at a reward it had to put off: exponential backoff with jitter. The n-th delay in
 * a row is drawn from {@code [d/2, d]}, where {@code d = min(max, initial * 2^(n-1))}; so a reward is never put off
 * longer than {@code max}. The jitter is a pseudo-random fraction derived from the reward's id and the attempt number
 * alone (no shared random state, no clock): the same reward and attempt always get the same delay, so runs replay
 * exactly, while different rewards spread out. Immutable and thread-safe.
 *
 * @param initial the delay before the first jitter, positive
 * @param max the longest delay, at least {@code initial} and at most {@link #LONGEST}
 */
public record Backoff(Duration initial, Duration max) {
    /** The longest {@code max} allowed. */
    public static final Duration LONGEST = Duration.ofDays(365);

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code initial} is not positive, or {@code max} is shorter than it or
     *     longer than {@link #LONGEST}
     */
    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("the initial backoff must be positive: " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("the maximum backoff " + max + " is shorter than the initial one "
                    + initial);
        }
        if (max.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("the maximum backoff " + max + " is longer than " + LONGEST);
        }
    }

    /**
     * The time of the next look at reward {@code rewardId} after its {@code attempt}-th consecutive put-off (1 for the
     * first) at {@code now}: between half and all of the capped delay after {@code now}.
     *
     * @throws IllegalArgumentException if {@code attempt} is less than 1
     */
    public Instant next(Instant now, String rewardId, long attempt) {
        return now.plus(delay(rewardId, attempt));
    }

    /** The jittered delay of {@link #next}. */
    public Duration delay(String rewardId, long attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1: " + attempt);
        }
        long maxNanos = max.toNanos();
        long capped = initial.toNanos();
        for (long i = 1; i < attempt && capped < maxNanos; i++) {
            capped = capped > maxNanos / 2 ? maxNanos : capped * 2;
        }
        capped = Math.min(capped, maxNanos);
        long half = capped / 2;
        return Duration.ofNanos(capped - half + (long) (fraction(rewardId, attempt) * half));
    }

    /** A fraction in {@code [0, 1)} determined by the reward and attempt (SplitMix64's finaliser over both). */
    static double fraction(String rewardId, long attempt) {
        long z = rewardId.hashCode() * 0x9E3779B97F4A7C15L + attempt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }
}
