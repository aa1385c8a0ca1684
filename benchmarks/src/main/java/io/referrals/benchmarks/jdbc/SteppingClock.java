package io.referrals.benchmarks.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UTC clock that moves forward by a fixed step each time it is read, so that a benchmark capturing many referrals
 * for one advocate spreads them over time like real traffic and stays under the default velocity limit (50 referrals
 * per advocate and per code per hour). Thread-safe.
 */
final class SteppingClock extends Clock {
    private final Instant start;
    private final long stepMicros;
    private final AtomicLong reads = new AtomicLong();

    SteppingClock(Instant start, Duration step) {
        this.start = start;
        this.stepMicros = step.toNanos() / 1000;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a stepping clock is UTC only");
    }

    @Override
    public Instant instant() {
        return start.plus(reads.getAndIncrement() * stepMicros, java.time.temporal.ChronoUnit.MICROS);
    }
}
