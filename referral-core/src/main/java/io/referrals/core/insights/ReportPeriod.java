package io.referrals.core.insights;

import java.time.Instant;
import java.util.Objects;

/**
 * A half-open reporting period {@code [from, to)}.
 *
 * @param from the first instant included
 * @param to the first instant excluded, after {@code from}
 */
public record ReportPeriod(Instant from, Instant to) {
    /**
     * All of time as far as a store is concerned: from the epoch to the start of the year 9999. Stores may treat these
     * two bounds as "unbounded".
     */
    public static final ReportPeriod ALL_TIME =
            new ReportPeriod(Instant.EPOCH, Instant.parse("9999-01-01T00:00:00Z"));

    /** @throws IllegalArgumentException unless {@code from} is before {@code to} */
    public ReportPeriod {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("a period's start must be before its end");
        }
    }

    public static ReportPeriod of(Instant from, Instant to) {
        return new ReportPeriod(from, to);
    }

    /** True when {@code from <= at < to}. */
    public boolean contains(Instant at) {
        return !at.isBefore(from) && at.isBefore(to);
    }
}
