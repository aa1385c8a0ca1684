package io.referrals.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When a program (or campaign) runs: from {@code startsAt} inclusive to {@code endsAt} exclusive. An open end is
 * {@link Instant#MIN} or {@link Instant#MAX}; {@link #ALWAYS} has both open.
 *
 * @param startsAt first instant inside the schedule, or {@link Instant#MIN}
 * @param endsAt first instant after the schedule, or {@link Instant#MAX}
 */
public record Schedule(Instant startsAt, Instant endsAt) {
    /** No start and no end. */
    public static final Schedule ALWAYS = new Schedule(Instant.MIN, Instant.MAX);

    public Schedule {
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(endsAt, "endsAt");
        if (!startsAt.isBefore(endsAt)) {
            throw new IllegalArgumentException("a schedule must start before it ends");
        }
    }

    public static Schedule between(Instant startsAt, Instant endsAt) {
        return new Schedule(startsAt, endsAt);
    }

    public static Schedule from(Instant startsAt) {
        return new Schedule(startsAt, Instant.MAX);
    }

    public static Schedule until(Instant endsAt) {
        return new Schedule(Instant.MIN, endsAt);
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(startsAt) && instant.isBefore(endsAt);
    }

    /** The start, unless open. */
    public Optional<Instant> start() {
        return startsAt.equals(Instant.MIN) ? Optional.empty() : Optional.of(startsAt);
    }

    /** The end, unless open. */
    public Optional<Instant> end() {
        return endsAt.equals(Instant.MAX) ? Optional.empty() : Optional.of(endsAt);
    }
}
