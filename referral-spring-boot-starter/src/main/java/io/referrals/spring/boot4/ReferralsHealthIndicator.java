package io.referrals.spring.boot4;

import io.referrals.spring.boot.autoconfigure.OutboxMonitor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The "referrals" health of the outbox (Spring Boot 4): pending and parked events, the age of the oldest pending event, the
 * last successful poll and whether the dispatcher runs. {@code DOWN} (with the error) when the database cannot be read
 * or, with {@code referrals.health.max-oldest-pending-age}, when events wait too long; never an exception, so the
 * health endpoint answers 503 rather than 500.
 */
public final class ReferralsHealthIndicator implements HealthIndicator {
    private final OutboxMonitor monitor;

    /** An indicator over {@code monitor}. */
    public ReferralsHealthIndicator(OutboxMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public Health health() {
        OutboxMonitor.HealthReport report = monitor.health();
        return Health.status(report.status()).withDetails(report.details()).build();
    }
}
