package io.referrals.storage.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it, for tests that must not wait for real time. Thread-safe:
 * the current instant is held atomically, so threads of a concurrency test read a consistent time. Instants are kept
 * at microsecond precision (what {@link Clock#systemUTC()} gives on common platforms and what SQL timestamps keep);
 * finer parts given to {@link #set} or {@link #advance} are truncated.
 */
public final class MutableClock extends Clock {
    /** 2025-01-06T09:00:00Z, a Monday morning: where {@link #startingNow()} clocks start. */
    public static final Instant DEFAULT_START = Instant.parse("2025-01-06T09:00:00Z");

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** A UTC clock at {@code start}. */
    public static MutableClock at(Instant start) {
        return new MutableClock(new AtomicReference<>(truncate(Objects.requireNonNull(start, "start"))),
                ZoneOffset.UTC);
    }

    /** A UTC clock at {@link #DEFAULT_START}. */
    public static MutableClock startingNow() {
        return at(DEFAULT_START);
    }

    /** Moves the clock to {@code instant}, forwards or backwards. */
    public void set(Instant instant) {
        now.set(truncate(Objects.requireNonNull(instant, "instant")));
    }

    /**
     * Moves the clock forward by {@code amount} and returns the new instant.
     *
     * @throws IllegalArgumentException if {@code amount} is negative
     */
    public Instant advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("a clock only advances: " + amount);
        }
        return now.updateAndGet(i -> truncate(i.plus(amount)));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A clock in another zone that shares this clock's time: moving either moves both. */
    @Override
    public Clock withZone(ZoneId newZone) {
        return new MutableClock(now, Objects.requireNonNull(newZone, "zone"));
    }

    @Override
    public String toString() {
        return "MutableClock[" + now.get() + ", " + zone + "]";
    }

    private static Instant truncate(Instant i) {
        return i.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
}
