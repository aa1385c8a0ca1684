package io.referrals.core.insights;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
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

    /** True when the period has a start: {@code from} is after {@link #ALL_TIME}'s. */
    public boolean hasStart() {
        return from.isAfter(ALL_TIME.from);
    }

    /** True when the period has an end: {@code to} is before {@link #ALL_TIME}'s. */
    public boolean hasEnd() {
        return to.isBefore(ALL_TIME.to);
    }

    /**
     * The period in words for a reader, never showing the stand-in bounds of an unbounded side: {@code all time},
     * {@code since 2026-01-05}, {@code before 2026-04-01}, {@code 2026-01-01 to 2026-03-31}, or one day. Days are UTC; a bound
     * that is not a UTC midnight is shown as an instant; an end at midnight is shown as the last day included.
     */
    public String describe() {
        if (!hasStart() && !hasEnd()) {
            return "all time";
        }
        if (!hasEnd()) {
            return "since " + day(from);
        }
        if (!hasStart()) {
            return "before " + day(to);
        }
        String last = midnight(to) ? day(to.minus(1, ChronoUnit.DAYS)) : day(to);
        return last.equals(day(from)) ? last : day(from) + " to " + last;
    }

    private static boolean midnight(Instant at) {
        return at.truncatedTo(ChronoUnit.DAYS).equals(at);
    }

    private static String day(Instant at) {
        return midnight(at) ? LocalDate.ofInstant(at, ZoneOffset.UTC).toString() : at.toString();
    }
}
