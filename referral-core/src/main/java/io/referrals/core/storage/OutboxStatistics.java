package io.referrals.core.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of a store's outbox, from {@link OutboxRecords#statistics()}: how many events wait for delivery, how many
 * are parked, and when the oldest waiting event occurred. Immutable.
 */
public final class OutboxStatistics {
    private static final OutboxStatistics EMPTY = new OutboxStatistics(0, 0, null);

    private final long pending;
    private final long parked;
    private final Instant oldestPendingAt;

    private OutboxStatistics(long pending, long parked, Instant oldestPendingAt) {
        this.pending = pending;
        this.parked = parked;
        this.oldestPendingAt = oldestPendingAt;
    }

    /**
     * Statistics of an outbox with pending events.
     *
     * @param pending events waiting for delivery (due or not, claimed or not, retried or not)
     * @param parked parked events
     * @param oldestPendingAt when the oldest pending event occurred
     * @throws IllegalArgumentException if {@code pending} is less than 1 or {@code parked} is negative
     */
    public static OutboxStatistics of(long pending, long parked, Instant oldestPendingAt) {
        Objects.requireNonNull(oldestPendingAt, "oldestPendingAt");
        if (pending < 1) {
            throw new IllegalArgumentException("pending must be positive when there is an oldest pending event: "
                    + pending);
        }
        return new OutboxStatistics(pending, checkParked(parked), oldestPendingAt);
    }

    /**
     * Statistics of an outbox with no pending event.
     *
     * @throws IllegalArgumentException if {@code parked} is negative
     */
    public static OutboxStatistics nonePending(long parked) {
        return parked == 0 ? EMPTY : new OutboxStatistics(0, checkParked(parked), null);
    }

    private static long checkParked(long parked) {
        if (parked < 0) {
            throw new IllegalArgumentException("parked must not be negative: " + parked);
        }
        return parked;
    }

    /** Events waiting for delivery: due or not yet due, claimed by a dispatcher or not, first attempt or retry. */
    public long pending() {
        return pending;
    }

    /** Events that failed too often and wait for the host to requeue them. */
    public long parked() {
        return parked;
    }

    /** When the oldest pending event occurred (its transaction's time); empty when none is pending. */
    public Optional<Instant> oldestPendingAt() {
        return Optional.ofNullable(oldestPendingAt);
    }

    /** How long the oldest pending event has waited at {@code now}: zero when none is pending, never negative. */
    public Duration oldestPendingAge(Instant now) {
        Objects.requireNonNull(now, "now");
        if (oldestPendingAt == null || !now.isAfter(oldestPendingAt)) {
            return Duration.ZERO;
        }
        return Duration.between(oldestPendingAt, now);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutboxStatistics s && s.pending == pending && s.parked == parked
                && Objects.equals(s.oldestPendingAt, oldestPendingAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pending, parked, oldestPendingAt);
    }

    @Override
    public String toString() {
        return "OutboxStatistics[pending=" + pending + ", parked=" + parked + ", oldestPendingAt="
                + (oldestPendingAt == null ? "none" : oldestPendingAt) + "]";
    }
}
