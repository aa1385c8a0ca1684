package io.referrals.core.messages;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * When the messages of a program leave: one per event at once, at most one per advocate per interval (what piles up
 * in between goes out together), or one daily digest per advocate at a local time. Immutable.
 */
public sealed interface Delivery {

    /** A message per event, as soon as {@code AdvocateMessages.runOnce()} runs. */
    static Delivery immediate() {
        return Immediate.INSTANCE;
    }

    /**
     * At most one message per advocate and program every {@code interval}: an event within the interval after the
     * last message waits for its end, and everything waiting then goes out as one digest.
     *
     * @throws IllegalArgumentException if {@code interval} is not positive
     */
    static Delivery minimumInterval(Duration interval) {
        return new MinimumInterval(interval);
    }

    /**
     * One digest per advocate and program a day, at {@code time} in {@code zone} (daylight-saving gaps are moved
     * forward as {@link ZonedDateTime} does), holding the events since the previous one.
     */
    static Delivery dailyDigest(LocalTime time, ZoneId zone) {
        return new DailyDigest(time, zone);
    }

    /**
     * When an event that occurred at {@code occurredAt} is due, given the time of the last message sent to the
     * advocate in the program ({@code null} when none was sent).
     */
    Instant dueAt(Instant occurredAt, Instant lastSent);

    /** One message per event, at once. */
    enum Immediate implements Delivery {
        /** The only instance. */
        INSTANCE;

        @Override
        public Instant dueAt(Instant occurredAt, Instant lastSent) {
            return Objects.requireNonNull(occurredAt, "occurredAt");
        }
    }

    /**
     * At most one message per {@code interval}.
     *
     * @param interval positive
     */
    record MinimumInterval(Duration interval) implements Delivery {
        public MinimumInterval {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval must be positive: " + interval);
            }
        }

        @Override
        public Instant dueAt(Instant occurredAt, Instant lastSent) {
            Objects.requireNonNull(occurredAt, "occurredAt");
            if (lastSent == null) {
                return occurredAt;
            }
            Instant next = lastSent.plus(interval);
            return next.isAfter(occurredAt) ? next : occurredAt;
        }
    }

    /**
     * A daily digest at {@code time} in {@code zone}.
     *
     * @param time local time of day
     * @param zone the time zone of {@code time}
     */
    record DailyDigest(LocalTime time, ZoneId zone) implements Delivery {
        public DailyDigest {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(zone, "zone");
        }

        /** The first digest time at or after {@code occurredAt}. */
        @Override
        public Instant dueAt(Instant occurredAt, Instant lastSent) {
            ZonedDateTime local = Objects.requireNonNull(occurredAt, "occurredAt").atZone(zone);
            ZonedDateTime candidate = local.toLocalDate().atTime(time).atZone(zone);
            if (candidate.toInstant().isBefore(occurredAt)) {
                candidate = local.toLocalDate().plusDays(1).atTime(time).atZone(zone);
            }
            return candidate.toInstant();
        }
    }
}
