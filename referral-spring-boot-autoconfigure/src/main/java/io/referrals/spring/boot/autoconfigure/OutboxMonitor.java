package io.referrals.spring.boot.autoconfigure;

import io.referrals.core.outbox.OutboxDispatcher;
import io.referrals.core.storage.OutboxStatistics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The outbox as the health indicator and the gauges see it: statistics read from the database at most once per
 * {@code cacheFor}, and nothing read while the dispatcher knows the database to be unreachable, so that neither a
 * health probe nor a metrics scrape waits on a dead database. Thread-safe.
 */
public final class OutboxMonitor {
    private final OutboxDispatcher dispatcher;
    private final Clock clock;
    private final Duration cacheFor;
    private final Duration maxOldestPendingAge;
    private volatile Snapshot last;

    OutboxMonitor(OutboxDispatcher dispatcher, Clock clock, Duration cacheFor, Duration maxOldestPendingAge) {
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.cacheFor = cacheFor;
        this.maxOldestPendingAge = maxOldestPendingAge;
    }

    /** What one look at the outbox found: statistics, or the failure that prevented reading them. */
    public record Snapshot(Instant at, Optional<OutboxStatistics> statistics, Optional<String> error) {
    }

    /** The latest snapshot, read now unless a recent one is at hand. */
    public Snapshot snapshot() {
        Instant now = clock.instant();
        Snapshot s = last;
        if (s != null && now.isBefore(s.at().plus(cacheFor))) {
            return s;
        }
        if (dispatcher.isStoreUnavailable()) {
            s = new Snapshot(now, Optional.empty(), Optional.of("the outbox dispatcher cannot reach the database"));
        } else {
            try {
                s = new Snapshot(now, Optional.of(dispatcher.statistics()), Optional.empty());
            } catch (RuntimeException e) {
                s = new Snapshot(now, Optional.empty(), Optional.of(e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage())));
            }
        }
        last = s;
        return s;
    }

    /** Pending events, or NaN when they cannot be read. */
    double pending() {
        return snapshot().statistics().map(st -> (double) st.pending()).orElse(Double.NaN);
    }

    /** Parked events, or NaN when they cannot be read. */
    double parked() {
        return snapshot().statistics().map(st -> (double) st.parked()).orElse(Double.NaN);
    }

    /** Seconds the oldest pending event has waited (0 when none), or NaN when they cannot be read. */
    double oldestPendingAgeSeconds() {
        Snapshot s = snapshot();
        return s.statistics().map(st -> st.oldestPendingAge(s.at()).toMillis() / 1000.0).orElse(Double.NaN);
    }

    /**
     * The health of the outbox: {@code DOWN} with the error when the database cannot be read, or when the oldest
     * pending event waited longer than allowed; otherwise {@code UP}. Never throws.
     */
    public HealthReport health() {
        Snapshot s = snapshot();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("dispatcherRunning", dispatcher.isRunning());
        dispatcher.lastSuccessfulPoll().ifPresent(at -> details.put("lastSuccessfulPoll", at.toString()));
        if (s.statistics().isEmpty()) {
            details.put("error", s.error().orElse("unknown"));
            return new HealthReport(HealthReport.DOWN, details);
        }
        OutboxStatistics st = s.statistics().get();
        Duration age = st.oldestPendingAge(s.at());
        details.put("pending", st.pending());
        details.put("parked", st.parked());
        details.put("oldestPendingAge", age.toString());
        if (maxOldestPendingAge != null && age.compareTo(maxOldestPendingAge) > 0) {
            details.put("error", "the oldest pending event has waited " + age + ", longer than "
                    + maxOldestPendingAge);
            return new HealthReport(HealthReport.DOWN, details);
        }
        return new HealthReport(HealthReport.UP, details);
    }

    /**
     * A health status code ({@code UP}, {@code DOWN}, {@code OUT_OF_SERVICE}) and details, for the health indicator of
     * each Spring Boot line to turn into its own {@code Health}.
     */
    public record HealthReport(String status, Map<String, Object> details) {
        /** Everything works. */
        public static final String UP = "UP";
        /** The database cannot be reached, or events wait too long. */
        public static final String DOWN = "DOWN";
        /** Shutting down: the dispatcher has stopped. */
        public static final String OUT_OF_SERVICE = "OUT_OF_SERVICE";

        public HealthReport {
            details = Map.copyOf(details);
        }
    }
}
